package dev.kiln.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingSettingsTest {

  @Test
  void defaultsWithoutTheVariables() {
    assertThat(ScalingSettings.fromEnvironment(Map.of())).isEqualTo(ScalingSettings.defaults());
  }

  @Test
  void readsEachVariable() {
    ScalingSettings settings = ScalingSettings.fromEnvironment(Map.of(
        "KILN_AUTOSCALER_INTERVAL", "500ms",
        "KILN_AUTOSCALER_PANIC_WINDOW", "3s",
        "KILN_AUTOSCALER_STABLE_WINDOW", "2m",
        "KILN_AUTOSCALER_SCALE_DOWN_DELAY", " 1m30s "));
    assertThat(settings.sampleInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.panicWindow()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.stableWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.scaleDownDelay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.panicThreshold()).isEqualTo(ScalingSettings.defaults().panicThreshold());
  }

  @Test
  void aBadValueNamesItsVariable() {
    assertThatThrownBy(() -> ScalingSettings.fromEnvironment(Map.of("KILN_AUTOSCALER_STABLE_WINDOW", "60")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_AUTOSCALER_STABLE_WINDOW")
        .hasMessageContaining("'60'");
  }

  @Test
  void windowsOutOfOrderAreRefusedByName() {
    assertThatThrownBy(() -> ScalingSettings.fromEnvironment(Map.of("KILN_AUTOSCALER_PANIC_WINDOW", "2m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_AUTOSCALER_PANIC_WINDOW (PT2M)");
  }
}
