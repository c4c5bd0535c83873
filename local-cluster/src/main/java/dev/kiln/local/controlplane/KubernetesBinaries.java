package dev.kiln.local.controlplane;

import dev.kiln.local.KilnCache;
import dev.kiln.local.PinnedVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the Kubernetes control-plane binaries built by {@code hack/k8s-binaries.sh} live.
 *
 * <p>Looked up, in order: system property {@code kiln.k8s.binaries}, environment variable
 * {@code KILN_K8S_BINARIES}, then {@code ${KILN_CACHE_DIR:-~/.cache/kiln}/k8s/<version>}, with the
 * version pinned in the parent pom.
 */
public record KubernetesBinaries(Path directory, String version) {

  static final List<String> REQUIRED =
      List.of("etcd", "kube-apiserver", "kube-scheduler", "kube-controller-manager", "kubectl");

  public static KubernetesBinaries locate() {
    return locate(System.getProperties(), System.getenv());
  }

  static KubernetesBinaries locate(Properties systemProperties, Map<String, String> environment) {
    String version = PinnedVersions.of("kubernetes.version");
    String explicit = systemProperties.getProperty("kiln.k8s.binaries", environment.get("KILN_K8S_BINARIES"));
    Path directory;
    if (explicit != null && !explicit.isBlank()) {
      directory = Path.of(explicit);
    } else {
      directory = KilnCache.root(environment, systemProperties.getProperty("user.home")).resolve("k8s").resolve(version);
    }
    var binaries = new KubernetesBinaries(directory, version);
    binaries.verify();
    return binaries;
  }

  public Path etcd() {
    return directory.resolve("etcd");
  }

  public Path kubeApiserver() {
    return directory.resolve("kube-apiserver");
  }

  public Path kubeScheduler() {
    return directory.resolve("kube-scheduler");
  }

  public Path kubeControllerManager() {
    return directory.resolve("kube-controller-manager");
  }

  public Path kubectl() {
    return directory.resolve("kubectl");
  }

  private void verify() {
    List<String> missing = REQUIRED.stream()
        .filter(name -> !Files.isExecutable(directory.resolve(name)))
        .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("""
          Kubernetes %s binaries are missing from %s: %s.
          Run hack/k8s-binaries.sh from the repository root to provision them \
          (a cold build from Go modules takes 5-10 minutes and is cached; later runs are instant), \
          or point -Dkiln.k8s.binaries / KILN_K8S_BINARIES at a directory that has them."""
          .formatted(version, directory, String.join(", ", missing)));
    }
  }

}
