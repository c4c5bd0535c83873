package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

  @Test
  void defaultsBindThePodAddress() throws Exception {
    RuntimeConfig config = RuntimeConfig.fromEnvironment(Map.of("POD_IP", "127.0.3.7"));

    assertThat(config.bindAddress()).isEqualTo("127.0.3.7");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.cacheDirectory()).isEqualTo(Path.of("/var/cache/kiln/models"));
    assertThat(config.cacheMaxBytes()).isEqualTo(200L << 30);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void explicitSettingsWin() throws Exception {
    RuntimeConfig config = RuntimeConfig.fromEnvironment(Map.of("POD_IP", "127.0.3.7", "KILN_BIND_ADDRESS", "0.0.0.0",
        "KILN_PORT", "9000", "KILN_CACHE_MAX_BYTES", "500Mi", "KILN_SHUTDOWN_GRACE_SECONDS", "5"));

    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.cacheMaxBytes()).isEqualTo(500L << 20);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badSettingsNameTheVariableAndTheExpectedForm() {
    assertThatThrownBy(() -> RuntimeConfig.fromEnvironment(Map.of("KILN_PORT", "eighty")))
        .hasMessage("KILN_PORT must be a whole number, got \"eighty\"");
    assertThatThrownBy(() -> RuntimeConfig.fromEnvironment(Map.of("KILN_PORT", "70000")))
        .hasMessageContaining("from 1 to 65535");
    assertThatThrownBy(() -> RuntimeConfig.fromEnvironment(Map.of("KILN_CACHE_MAX_BYTES", "lots")))
        .hasMessageContaining("such as 500Mi or 200Gi");
    assertThatThrownBy(() -> RuntimeConfig.fromEnvironment(Map.of("KILN_MAX_REQUEST_BYTES", "1GB")))
        .hasMessageStartingWith("KILN_MAX_REQUEST_BYTES must be bytes or a quantity");
    assertThatThrownBy(() -> RuntimeConfig.fromEnvironment(Map.of("KILN_EXECUTION_THREADS", "0")))
        .hasMessage("KILN_EXECUTION_THREADS must be 1 or more, got 0");
  }
}
