package dev.kiln.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.apikey.KeyPriority;
import dev.kiln.testing.time.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyRateLimitsTest {

  private final ManualClock clock = new ManualClock();
  private final KeyRateLimits limits = new KeyRateLimits(clock);

  static AuthenticatedKey key(String name, int requestsPerSecond, int burst) {
    return new AuthenticatedKey("team-a", name, Set.of(), KeyPriority.INTERACTIVE,
        new RateLimitSpec(requestsPerSecond, burst), Optional.empty());
  }

  @Test
  void allowsTheBurstThenRefusesWithRetryAfterRoundedUp() {
    AuthenticatedKey key = key("ci", 2, 5);

    for (int i = 0; i < 5; i++) {
      assertThat(limits.tryAcquire(key)).isInstanceOf(RateDecision.Allowed.class);
    }
    // One token comes back every half second: the wait of 0.5 s rounds up to 1.
    assertThat(limits.tryAcquire(key)).isEqualTo(new RateDecision.Refused(1));
  }

  @Test
  void retryAfterCoversSlowRefills() {
    AuthenticatedKey key = key("slow", 1, 1);
    limits.tryAcquire(key);

    clock.advance(Duration.ofMillis(100));

    assertThat(limits.tryAcquire(key)).isEqualTo(new RateDecision.Refused(1));
  }

  @Test
  void refillsAtTheSustainedRate() {
    AuthenticatedKey key = key("ci", 2, 2);
    limits.tryAcquire(key);
    limits.tryAcquire(key);
    assertThat(limits.tryAcquire(key)).isInstanceOf(RateDecision.Refused.class);

    clock.advance(Duration.ofMillis(500));
    assertThat(limits.tryAcquire(key)).isInstanceOf(RateDecision.Allowed.class);
    assertThat(limits.tryAcquire(key)).isInstanceOf(RateDecision.Refused.class);

    clock.advance(Duration.ofSeconds(10));
    assertThat(limits.tryAcquire(key)).isInstanceOf(RateDecision.Allowed.class);
    assertThat(limits.tryAcquire(key)).isInstanceOf(RateDecision.Allowed.class);
    assertThat(limits.tryAcquire(key)).isInstanceOf(RateDecision.Refused.class);
  }

  @Test
  void keysHaveSeparateBuckets() {
    limits.tryAcquire(key("one", 1, 1));

    assertThat(limits.tryAcquire(key("one", 1, 1))).isInstanceOf(RateDecision.Refused.class);
    assertThat(limits.tryAcquire(key("two", 1, 1))).isInstanceOf(RateDecision.Allowed.class);
  }

  @Test
  void bucketSurvivesAnUpdateWithTheSameLimit() {
    AuthenticatedKey key = key("ci", 1, 1);
    limits.tryAcquire(key);

    limits.retainOnly(Map.of("team-a/ci", new RateLimitSpec(1, 1)));

    assertThat(limits.tryAcquire(key)).isInstanceOf(RateDecision.Refused.class);
  }

  @Test
  void bucketIsRebuiltWhenTheLimitChanges() {
    limits.tryAcquire(key("ci", 1, 1));

    limits.retainOnly(Map.of("team-a/ci", new RateLimitSpec(1, 3)));
    assertThat(limits.size()).isZero();

    AuthenticatedKey raised = key("ci", 1, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(limits.tryAcquire(raised)).isInstanceOf(RateDecision.Allowed.class);
    }
    assertThat(limits.tryAcquire(raised)).isInstanceOf(RateDecision.Refused.class);
  }

  @Test
  void aKeyPresentedWithANewLimitGetsANewBucketEvenBeforeRetainOnly() {
    limits.tryAcquire(key("ci", 1, 1));

    assertThat(limits.tryAcquire(key("ci", 1, 2))).isInstanceOf(RateDecision.Allowed.class);
  }

  @Test
  void deletedKeysDropTheirBucket() {
    limits.tryAcquire(key("gone", 1, 1));
    limits.tryAcquire(key("kept", 1, 1));

    limits.retainOnly(Map.of("team-a/kept", new RateLimitSpec(1, 1)));

    assertThat(limits.size()).isEqualTo(1);
    assertThat(limits.tryAcquire(key("gone", 1, 1))).isInstanceOf(RateDecision.Allowed.class);
  }
}
