package dev.kiln.operator.runtime;

/**
 * A worker's admin API refused or could not be reached. The message is the runtime's own
 * explanation (its {@code error} field) when it answered, else what went wrong on the way.
 */
public class WorkerAdminException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The HTTP status the worker answered with; 0 when it did not answer. */
  private final int status;

  public WorkerAdminException(int status, String message) {
    super(message);
    this.status = status;
  }

  public WorkerAdminException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  public int status() {
    return status;
  }
}
