package dev.kiln.gateway.worker;

/**
 * A run that got no answer from its worker. Whether the request may go to another worker depends
 * on whether this one could have started it.
 */
public final class WorkerFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** How far the request got. */
  public enum Kind {
    /** No connection was made: the worker never saw the request, so another may run it. */
    UNREACHABLE,
    /** The worker refused the request without starting it, because it is draining: another may run it. */
    REFUSED,
    /** The connection broke after the request was sent: the worker may have run it. */
    DISCONNECTED,
    /** The worker took longer than the gateway waits. */
    TIMED_OUT
  }

  private final Kind kind;

  public WorkerFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the request can be sent to another worker without risk of running it twice. */
  public boolean neverStarted() {
    return kind == Kind.UNREACHABLE || kind == Kind.REFUSED;
  }
}
