package dev.kiln.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void readsEachUnitAndTheirSums() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void refusesAnythingElse() {
    for (String text : new String[] {"", "60", "5 s", "s", "PT5S", "1.5s", "5sec"}) {
      assertThatThrownBy(() -> DurationText.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
