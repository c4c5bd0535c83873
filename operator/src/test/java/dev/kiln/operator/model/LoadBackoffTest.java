package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.status.ConditionReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadBackoffTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final LoadFailure FAILURE = new LoadFailure("w-1", ConditionReason.LOAD_FAILED, "boom");

  private final LoadBackoff backoff = new LoadBackoff(Duration.ofSeconds(5), Duration.ofMinutes(1));

  @Test
  void doublesUpToTheMaximum() {
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(40));
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofMinutes(1));
    assertThat(backoff.delay(1000)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void waitsOutEachFailureThenAllowsTheNextAttempt() {
    assertThat(backoff.waiting("m", T0)).isEmpty();
    assertThat(backoff.failed("m", FAILURE, T0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.waiting("m", T0.plusSeconds(4))).contains(FAILURE);
    assertThat(backoff.remaining("m", T0.plusSeconds(4))).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.waiting("m", T0.plusSeconds(5))).isEmpty();
    assertThat(backoff.remaining("m", T0.plusSeconds(5))).isZero();
    assertThat(backoff.failed("m", FAILURE, T0.plusSeconds(5))).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.waiting("other", T0.plusSeconds(6))).isEmpty();
  }

  @Test
  void aSuccessStartsOver() {
    backoff.failed("m", FAILURE, T0);
    backoff.failed("m", FAILURE, T0);
    backoff.succeeded("m");
    assertThat(backoff.waiting("m", T0)).isEmpty();
    assertThat(backoff.failed("m", FAILURE, T0)).isEqualTo(Duration.ofSeconds(5));
  }
}
