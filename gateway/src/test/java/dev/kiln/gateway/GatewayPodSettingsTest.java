package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayPodSettingsTest {

  @Test
  void withoutAPodTheGatewayRunsAlone() {
    assertThat(GatewaySettings.fromEnvironment(Map.of()).pod()).isEmpty();
  }

  @Test
  void thePodComesFromTheDownwardApiVariables() {
    GatewaySettings settings = GatewaySettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_POD_NAME", "kiln-gateway-5c7d9-x2x4q", "KILN_GATEWAY_POD_NAMESPACE", "kiln-system"));

    assertThat(settings.pod()).contains(new GatewaySettings.Pod("kiln-system", "kiln-gateway-5c7d9-x2x4q"));
  }

  @Test
  void halfAPodIsRefusedNamingBothVariables() {
    assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of("KILN_GATEWAY_POD_NAME", "kiln-gateway-0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_GATEWAY_POD_NAME").hasMessageContaining("KILN_GATEWAY_POD_NAMESPACE");
  }
}
