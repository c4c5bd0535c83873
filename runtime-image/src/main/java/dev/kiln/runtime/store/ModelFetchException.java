package dev.kiln.runtime.store;

/** A model could not be put into the cache; the message says why and what to check. */
public final class ModelFetchException extends Exception {

  private static final long serialVersionUID = 1L;

  public ModelFetchException(String message) {
    super(message);
  }

  public ModelFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
