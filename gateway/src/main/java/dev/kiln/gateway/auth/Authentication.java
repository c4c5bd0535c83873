package dev.kiln.gateway.auth;

/** The outcome of checking a request's {@code Authorization} header: the key, or why it is refused. */
public sealed interface Authentication {

  /** The caller presented the secret of an enabled ApiKey. */
  record Accepted(AuthenticatedKey key) implements Authentication {}

  /** The request must be refused with {@link Refusal#status()} and {@link Refusal#detail()}. */
  record Refused(Refusal refusal) implements Authentication {}
}
