package dev.kiln.gateway.server;

import dev.kiln.gateway.auth.AuthenticatedKey;
import dev.kiln.gateway.auth.Authentication;
import dev.kiln.gateway.auth.KeyRateLimits;
import dev.kiln.gateway.auth.KeyRegistry;
import dev.kiln.gateway.auth.RateDecision;
import dev.kiln.gateway.fal.EndpointId;
import dev.kiln.gateway.fal.FalException;
import java.util.Optional;
import java.util.function.Supplier;

/** Who may call: the caller's key is authenticated, allowed the model and within its rate limit. */
public final class Callers {

  private final Supplier<KeyRegistry> keys;
  private final KeyRateLimits limits;

  public Callers(Supplier<KeyRegistry> keys, KeyRateLimits limits) {
    this.keys = keys;
    this.limits = limits;
  }

  /**
   * The key of a caller of {@code endpoint}.
   *
   * @throws FalException 401 for a missing or wrong key, 403 for a model the key may not call, 429
   *     with {@code Retry-After} over its rate limit
   */
  public AuthenticatedKey admit(Optional<String> authorization, EndpointId endpoint) {
    AuthenticatedKey key = identify(authorization, endpoint);
    if (limits.tryAcquire(key) instanceof RateDecision.Refused refused) {
      throw FalException.tooManyRequests("API key " + key.id() + " is over its rate limit of "
          + key.rateLimit().requestsPerSecond() + " requests/s (burst " + key.rateLimit().burst() + ")",
          refused.retryAfterSeconds());
    }
    return key;
  }

  /**
   * The key of a caller of {@code endpoint}, without spending its rate limit: for reading and
   * cancelling requests already admitted, which clients poll.
   *
   * @throws FalException 401 for a missing or wrong key, 403 for a model the key may not call
   */
  public AuthenticatedKey identify(Optional<String> authorization, EndpointId endpoint) {
    KeyRegistry registry = keys.get();
    AuthenticatedKey key = accepted(registry.authenticate(authorization.orElse(null)));
    accepted(registry.authorize(key, endpoint.owner(), endpoint.app()));
    return key;
  }

  private static AuthenticatedKey accepted(Authentication authentication) {
    return switch (authentication) {
      case Authentication.Accepted accepted -> accepted.key();
      case Authentication.Refused refused -> throw new FalException(refused.refusal().status(),
          refused.refusal().detail(), Optional.empty(), Optional.empty());
    };
  }
}
