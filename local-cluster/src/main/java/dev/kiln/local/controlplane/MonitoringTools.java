package dev.kiln.local.controlplane;

import dev.kiln.local.KilnCache;
import dev.kiln.local.PinnedVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the {@code helm}, {@code prometheus} and {@code promtool} binaries built by
 * {@code hack/monitoring-tools.sh} live.
 *
 * <p>Looked up, in order: system property {@code kiln.monitoring.tools}, environment variable
 * {@code KILN_MONITORING_TOOLS} (one directory holding all three binaries), then
 * {@code ${KILN_CACHE_DIR:-~/.cache/kiln}/tools/helm-<helm.version>/helm} and
 * {@code .../tools/prometheus-<prometheus.version>/{prometheus,promtool}}, with the versions pinned
 * in the parent pom.
 */
public record MonitoringTools(Path helm, Path prometheus, Path promtool, String helmVersion, String prometheusVersion) {

  public static MonitoringTools locate() {
    return locate(System.getProperties(), System.getenv());
  }

  static MonitoringTools locate(Properties systemProperties, Map<String, String> environment) {
    String helmVersion = PinnedVersions.of("helm.version");
    String prometheusVersion = PinnedVersions.of("prometheus.version");
    String explicit = systemProperties.getProperty("kiln.monitoring.tools", environment.get("KILN_MONITORING_TOOLS"));
    Path helmDirectory;
    Path prometheusDirectory;
    if (explicit != null && !explicit.isBlank()) {
      helmDirectory = prometheusDirectory = Path.of(explicit);
    } else {
      Path tools = KilnCache.root(environment, systemProperties.getProperty("user.home")).resolve("tools");
      helmDirectory = tools.resolve("helm-" + helmVersion);
      prometheusDirectory = tools.resolve("prometheus-" + prometheusVersion);
    }
    var monitoringTools = new MonitoringTools(
        helmDirectory.resolve("helm"),
        prometheusDirectory.resolve("prometheus"),
        prometheusDirectory.resolve("promtool"),
        helmVersion,
        prometheusVersion);
    monitoringTools.verify();
    return monitoringTools;
  }

  private void verify() {
    List<Path> missing = new ArrayList<>();
    for (Path binary : List.of(helm, prometheus, promtool)) {
      if (!Files.isExecutable(binary)) {
        missing.add(binary);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("""
          Helm %s / Prometheus %s binaries are missing: %s.
          Run hack/monitoring-tools.sh from the repository root to provision them \
          (a cold build from Go modules takes a few minutes and is cached; later runs are instant), \
          or point -Dkiln.monitoring.tools / KILN_MONITORING_TOOLS at a directory that has all three."""
          .formatted(helmVersion, prometheusVersion, missing.stream().map(Path::toString).toList()));
    }
  }

}
