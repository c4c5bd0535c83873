package dev.kiln.local.controlplane;

import dev.kiln.local.KilnCache;
import dev.kiln.local.PinnedVersions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus Operator's PodMonitor and PrometheusRule CRDs, as {@code hack/monitoring-tools.sh}
 * takes them from the operator's Go module into
 * {@code ${KILN_CACHE_DIR:-~/.cache/kiln}/tools/prometheus-operator-<version>/}, the version pinned in
 * the parent pom: for installing Kiln's chart with its monitoring objects on a local control plane.
 */
public final class PrometheusOperatorCrds {

  static final List<String> FILES =
      List.of("monitoring.coreos.com_podmonitors.yaml", "monitoring.coreos.com_prometheusrules.yaml");

  private PrometheusOperatorCrds() {}

  /** The CRDs' YAML. @throws IllegalStateException naming the script when they are not there */
  public static List<String> yamls() {
    return yamls(System.getenv());
  }

  static List<String> yamls(Map<String, String> environment) {
    Path directory = KilnCache.root(environment, System.getProperty("user.home")).resolve("tools")
        .resolve("prometheus-operator-" + PinnedVersions.of("prometheus-operator.version"));
    List<String> yamls = new ArrayList<>();
    for (String file : FILES) {
      Path crd = directory.resolve(file);
      if (!Files.isRegularFile(crd)) {
        throw new IllegalStateException("the Prometheus Operator's CRD " + crd + " is missing: run "
            + "hack/monitoring-tools.sh from the repository root (it takes them from the operator's Go module)");
      }
      try {
        yamls.add(Files.readString(crd, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return yamls;
  }

}
