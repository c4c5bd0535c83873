package dev.kiln.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

  private static final RestartBackoff BACKOFF = new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
  private static final Duration SHORT_RUN = Duration.ofMillis(10);

  @Test
  void firstRestartIsImmediateThenDelaysDoubleUpToTheMaximum() {
    Duration delay = BACKOFF.next(null, SHORT_RUN);
    assertThat(delay).isZero();
    delay = BACKOFF.next(delay, SHORT_RUN);
    assertThat(delay).isEqualTo(Duration.ofMillis(100));
    delay = BACKOFF.next(delay, SHORT_RUN);
    assertThat(delay).isEqualTo(Duration.ofMillis(200));
    delay = BACKOFF.next(BACKOFF.next(delay, SHORT_RUN), SHORT_RUN);
    assertThat(delay).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aLongRunResetsTheBackoff() {
    assertThat(BACKOFF.next(Duration.ofMillis(500), Duration.ofSeconds(2))).isZero();
  }
}
