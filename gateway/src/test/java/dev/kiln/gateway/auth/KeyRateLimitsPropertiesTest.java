package dev.kiln.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.time.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever the arrival pattern, a key never gets more than its bucket allows. */
class KeyRateLimitsPropertiesTest {

  static LongStream seeds() {
    return LongStream.range(1, 201);
  }

  /**
   * Within any window of length W, at most burst + rate × W requests are allowed; and a request
   * sent once a refusal's Retry-After has passed is allowed.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void allowedRequestsInAnyWindowStayWithinBurstPlusRateTimesWindow(long seed) {
    Random random = new Random(seed);
    int rate = 1 + random.nextInt(20);
    int burst = rate + random.nextInt(40);
    ManualClock clock = new ManualClock();
    KeyRateLimits limits = new KeyRateLimits(clock);
    AuthenticatedKey key = KeyRateLimitsTest.key("k" + seed, rate, burst);
    Deque<Long> allowedAtNanos = new ArrayDeque<>();
    long now = 0;
    long windowNanos = Duration.ofMillis(200 + random.nextInt(3000)).toNanos();

    for (int i = 0; i < 2000; i++) {
      long step = random.nextInt(4) == 0 ? random.nextLong(Duration.ofMillis(400).toNanos()) : random.nextLong(1_000_000);
      clock.advance(Duration.ofNanos(step));
      now += step;
      RateDecision decision = limits.tryAcquire(key);
      if (decision instanceof RateDecision.Refused(long retryAfterSeconds) && random.nextInt(10) == 0) {
        clock.advance(Duration.ofSeconds(retryAfterSeconds));
        now += Duration.ofSeconds(retryAfterSeconds).toNanos();
        decision = limits.tryAcquire(key);
        assertThat(decision).as("seed %d: a request after Retry-After", seed).isInstanceOf(RateDecision.Allowed.class);
      }
      if (decision instanceof RateDecision.Allowed) {
        allowedAtNanos.addLast(now);
      }
      while (!allowedAtNanos.isEmpty() && allowedAtNanos.getFirst() < now - windowNanos) {
        allowedAtNanos.removeFirst();
      }
      double bound = burst + rate * (windowNanos / 1e9);
      assertThat((double) allowedAtNanos.size()).as("seed %d: allowed in the last %d ns", seed, windowNanos)
          .isLessThanOrEqualTo(bound);
    }
  }
}
