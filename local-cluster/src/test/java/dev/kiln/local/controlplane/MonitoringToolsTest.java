package dev.kiln.local.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringToolsTest {

  @TempDir
  Path home;

  @Test
  void missingBinariesSayWhichScriptProvisionsThem() {
    var properties = new Properties();
    properties.setProperty("user.home", home.toString());

    assertThatThrownBy(() -> MonitoringTools.locate(properties, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("hack/monitoring-tools.sh")
        .hasMessageContaining(home.resolve(".cache/kiln/tools/helm-").toString())
        .hasMessageContaining("promtool");
  }

  @Test
  void cacheDirHoldsOneDirectoryPerToolVersionPinnedInThePom() throws Exception {
    var pinned = new Properties();
    try (InputStream in = MonitoringTools.class.getResourceAsStream("/kiln-local-cluster.properties")) {
      pinned.load(in);
    }
    String helmVersion = pinned.getProperty("helm.version");
    String prometheusVersion = pinned.getProperty("prometheus.version");
    assertThat(helmVersion).matches("v3\\.\\d+\\.\\d+");
    assertThat(prometheusVersion).matches("v0\\.\\d+\\.\\d+");
    Path helmDirectory = Files.createDirectories(home.resolve("tools/helm-" + helmVersion));
    Path prometheusDirectory = Files.createDirectories(home.resolve("tools/prometheus-" + prometheusVersion));
    executable(helmDirectory.resolve("helm"));
    executable(prometheusDirectory.resolve("prometheus"));
    executable(prometheusDirectory.resolve("promtool"));

    MonitoringTools tools = MonitoringTools.locate(new Properties(), Map.of("KILN_CACHE_DIR", home.toString()));

    assertThat(tools.helmVersion()).isEqualTo(helmVersion);
    assertThat(tools.prometheusVersion()).isEqualTo(prometheusVersion);
    assertThat(tools.helm()).isEqualTo(helmDirectory.resolve("helm"));
    assertThat(tools.prometheus()).isEqualTo(prometheusDirectory.resolve("prometheus"));
    assertThat(tools.promtool()).isEqualTo(prometheusDirectory.resolve("promtool"));
  }

  @Test
  void explicitDirectoryWins() throws Exception {
    for (String name : new String[] {"helm", "prometheus", "promtool"}) {
      executable(home.resolve(name));
    }
    var properties = new Properties();
    properties.setProperty("kiln.monitoring.tools", home.toString());

    MonitoringTools tools = MonitoringTools.locate(properties, Map.of("KILN_CACHE_DIR", "/nonexistent"));

    assertThat(tools.helm()).isEqualTo(home.resolve("helm"));
    assertThat(tools.prometheus()).isEqualTo(home.resolve("prometheus"));
    assertThat(tools.promtool()).isEqualTo(home.resolve("promtool"));
  }

  private static void executable(Path file) throws Exception {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }
}
