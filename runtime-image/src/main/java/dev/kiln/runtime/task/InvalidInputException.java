package dev.kiln.runtime.task;

/**
 * A request the model cannot take. {@code code} is a stable machine-readable word
 * ({@code wrong_shape}, {@code wrong_datatype}, {@code malformed_json}...); the message says what
 * was expected and what came.
 */
public final class InvalidInputException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String code;

  public InvalidInputException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
