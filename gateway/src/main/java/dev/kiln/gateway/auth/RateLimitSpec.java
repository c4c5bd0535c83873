package dev.kiln.gateway.auth;

import dev.kiln.crds.apikey.RateLimit;

/**
 * A key's token bucket: {@code burst} requests at once, refilled at {@code requestsPerSecond}.
 *
 * @param requestsPerSecond sustained rate, at least 1
 * @param burst bucket capacity, at least 1
 */
public record RateLimitSpec(int requestsPerSecond, int burst) {

  /** The CRD's defaults for an ApiKey without {@code spec.rateLimit}. */
  public static final RateLimitSpec DEFAULT = new RateLimitSpec(10, 20);

  public RateLimitSpec {
    if (requestsPerSecond < 1 || burst < 1) {
      throw new IllegalArgumentException(
          "rate limit needs requestsPerSecond and burst of at least 1, got " + requestsPerSecond + " and " + burst);
    }
  }

  /** The limit an ApiKey's {@code spec.rateLimit} asks for, with the CRD's defaults for unset fields. */
  public static RateLimitSpec of(RateLimit rateLimit) {
    if (rateLimit == null) {
      return DEFAULT;
    }
    return new RateLimitSpec(
        rateLimit.getRequestsPerSecond() == null ? DEFAULT.requestsPerSecond : rateLimit.getRequestsPerSecond(),
        rateLimit.getBurst() == null ? DEFAULT.burst : rateLimit.getBurst());
  }
}
