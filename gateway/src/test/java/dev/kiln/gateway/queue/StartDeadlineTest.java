package dev.kiln.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartDeadlineTest {

  private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void readsWholeAndDecimalSeconds() {
    assertThat(StartDeadline.fromTimeoutHeader("30", RECEIVED)).isEqualTo(RECEIVED.plusSeconds(30));
    assertThat(StartDeadline.fromTimeoutHeader(" 2.5 ", RECEIVED)).isEqualTo(RECEIVED.plusMillis(2500));
  }

  @Test
  void rejectsValuesThatAreNotAPositiveNumberOfSeconds() {
    assertThatThrownBy(() -> StartDeadline.fromTimeoutHeader("soon", RECEIVED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("number of seconds");
    assertThatThrownBy(() -> StartDeadline.fromTimeoutHeader("0", RECEIVED)).hasMessageContaining("more than 0");
    assertThatThrownBy(() -> StartDeadline.fromTimeoutHeader("-1", RECEIVED)).hasMessageContaining("more than 0");
  }
}
