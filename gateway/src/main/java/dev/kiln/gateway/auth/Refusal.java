package dev.kiln.gateway.auth;

/**
 * Why a request is refused, as the HTTP status and the JSON {@code detail} to send. The detail
 * never contains a secret.
 */
public record Refusal(Reason reason, String detail) {

  /** What went wrong; each maps to one HTTP status. */
  public enum Reason {
    MISSING_KEY(401),
    MALFORMED_KEY(401),
    UNKNOWN_KEY(401),
    WRONG_SECRET(401),
    KEY_NOT_USABLE(401),
    KEY_DISABLED(401),
    AMBIGUOUS_KEY(401),
    MODEL_NOT_ALLOWED(403);

    private final int status;

    Reason(int status) {
      this.status = status;
    }
  }

  /** The HTTP status to answer with. */
  public int status() {
    return reason.status;
  }
}
