package dev.kiln.runtime.task;

/** A model could not be loaded; the message says why and what to fix. */
public final class ModelLoadException extends Exception {

  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
