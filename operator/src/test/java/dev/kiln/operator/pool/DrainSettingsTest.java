package dev.kiln.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainSettingsTest {

  @Test
  void defaultsWithoutTheVariables() {
    assertThat(DrainSettings.fromEnvironment(Map.of()))
        .isEqualTo(new DrainSettings(Duration.ofSeconds(30), Duration.ofSeconds(1)))
        .isEqualTo(DrainSettings.defaults());
  }

  @Test
  void readsEachVariable() {
    DrainSettings settings = DrainSettings.fromEnvironment(Map.of("KILN_DRAIN_TIMEOUT", " 2m ", "KILN_DRAIN_POLL", "250ms"));
    assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.poll()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aZeroTimeoutDeletesADrainedWorkerAtOnce() {
    assertThat(DrainSettings.fromEnvironment(Map.of("KILN_DRAIN_TIMEOUT", "0s")).timeout()).isZero();
  }

  @Test
  void aValueThatIsNoDurationNamesItsVariable() {
    assertThatThrownBy(() -> DrainSettings.fromEnvironment(Map.of("KILN_DRAIN_TIMEOUT", "30")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("KILN_DRAIN_TIMEOUT must be a duration such as 500ms, 60s or 2m, got '30'");
  }

  @Test
  void aZeroPollIsRefused() {
    assertThatThrownBy(() -> DrainSettings.fromEnvironment(Map.of("KILN_DRAIN_POLL", "0s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("KILN_DRAIN_POLL must be positive, e.g. 1s, got PT0S");
  }

  @Test
  void aNegativeTimeoutIsRefused() {
    assertThatThrownBy(() -> new DrainSettings(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_DRAIN_TIMEOUT must be 0s or more");
  }
}
