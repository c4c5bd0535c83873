package dev.kiln.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
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

  @Test
  void anUnsetOrBlankVariableGivesTheFallbackAndABadOneIsRefusedByName() {
    assertThat(DurationText.fromEnvironment(Map.of(), "KILN_X", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    assertThat(DurationText.fromEnvironment(Map.of("KILN_X", " "), "KILN_X", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    assertThat(DurationText.fromEnvironment(Map.of("KILN_X", " 3s "), "KILN_X", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> DurationText.fromEnvironment(Map.of("KILN_X", "3"), "KILN_X", Duration.ofSeconds(7)))
        .hasMessage("KILN_X must be a duration such as 500ms, 60s or 2m, got '3'");
  }
}
