package dev.kiln.gateway.auth;

/** Whether a key's request fits its rate limit. */
public sealed interface RateDecision {

  /** The request may proceed; it used one token. */
  record Allowed() implements RateDecision {}

  /**
   * The request must be refused with 429; a token is available again after {@code retryAfterSeconds}
   * (whole seconds, rounded up, at least 1), the value of the {@code Retry-After} header.
   */
  record Refused(long retryAfterSeconds) implements RateDecision {}
}
