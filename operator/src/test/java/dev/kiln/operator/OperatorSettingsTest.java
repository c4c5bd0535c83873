package dev.kiln.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void watchesTheListedNamespaces() {
    OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of(
        "KILN_WATCH_NAMESPACES", " ml, vision ,", "KILN_RUNTIME_IMAGE", "kiln-runtime:1"));

    assertThat(settings.namespaces()).isEqualTo(Set.of("ml", "vision"));
    assertThat(settings.runtimeImage()).isEqualTo("kiln-runtime:1");
  }

  @Test
  void watchesEveryNamespaceByDefault() {
    assertThat(OperatorSettings.fromEnvironment(Map.of("KILN_RUNTIME_IMAGE", "kiln-runtime:1")).namespaces()).isEmpty();
  }

  @Test
  void needsARuntimeImage() {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of()))
        .hasMessageContaining("KILN_RUNTIME_IMAGE is not set");
  }
}
