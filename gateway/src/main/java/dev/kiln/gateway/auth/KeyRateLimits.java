package dev.kiln.gateway.auth;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Bucket4j token bucket per API key. A key's bucket is kept while its limit stays the same,
 * built anew when the limit changes, and dropped with the key ({@link #retainOnly}). Thread-safe.
 */
public final class KeyRateLimits {

  private static final long NANOS_PER_SECOND = Duration.ofSeconds(1).toNanos();

  private final TimeMeter time;
  private final Map<String, LimitedBucket> buckets = new ConcurrentHashMap<>();

  /** Rate limits timed by {@code clock}; tests pass a clock they move by hand. */
  public KeyRateLimits(Clock clock) {
    this.time = new ClockTimeMeter(clock);
  }

  /** Takes a token from {@code key}'s bucket, or says how long until one is available. */
  public RateDecision tryAcquire(AuthenticatedKey key) {
    LimitedBucket bucket = buckets.compute(key.id(), (id, held) ->
        held != null && held.limit.equals(key.rateLimit()) ? held : new LimitedBucket(key.rateLimit(), newBucket(key.rateLimit())));
    ConsumptionProbe probe = bucket.bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return new RateDecision.Allowed();
    }
    long nanos = probe.getNanosToWaitForRefill();
    return new RateDecision.Refused(Math.max(1, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND));
  }

  /**
   * Keeps the buckets of the keys in {@code limits} (id to limit) whose limit is unchanged and
   * drops the others; pass {@link KeyRegistry#rateLimits()} after each registry update.
   */
  public void retainOnly(Map<String, RateLimitSpec> limits) {
    buckets.entrySet().removeIf(held -> !held.getValue().limit.equals(limits.get(held.getKey())));
  }

  /** How many keys have a bucket. */
  public int size() {
    return buckets.size();
  }

  private Bucket newBucket(RateLimitSpec limit) {
    return Bucket.builder()
        .addLimit(bandwidth -> bandwidth.capacity(limit.burst())
            .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)))
        .withCustomTimePrecision(time)
        .build();
  }

  private record LimitedBucket(RateLimitSpec limit, Bucket bucket) {}

  private record ClockTimeMeter(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      Instant now = clock.instant();
      return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
