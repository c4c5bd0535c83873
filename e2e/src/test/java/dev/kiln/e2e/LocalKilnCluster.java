package dev.kiln.e2e;

import dev.kiln.cli.DevFleet;
import dev.kiln.cli.DevPaths;
import dev.kiln.cli.Progress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Kiln on the local control plane, as {@code kiln dev} runs it: etcd, kube-apiserver, the scheduler and the controller
 * manager as processes, the test kubelet running each worker pod's runtime as a process of its own, and the operator
 * and gateway in this JVM with the chart's RBAC.
 */
final class LocalKilnCluster implements KilnCluster {

  private final DevFleet fleet;

  private LocalKilnCluster(DevFleet fleet) {
    this.fleet = fleet;
  }

  /** Starts Kiln with one fake node, everything under {@code directory}. */
  static LocalKilnCluster start(Path directory) throws Exception {
    DevPaths paths = new DevPaths(directory.toAbsolutePath());
    Files.createDirectories(paths.run());
    return new LocalKilnCluster(DevFleet.start(new DevFleet.Settings(1, 0, 0, 0, false), paths,
        new Progress(System.out)));
  }

  @Override
  public String provider() {
    return "local control plane";
  }

  @Override
  public KubernetesClient admin() {
    return fleet.admin();
  }

  @Override
  public String namespace() {
    return DevFleet.NAMESPACE;
  }

  @Override
  public URI gatewayRun() {
    return URI.create(fleet.runUrl());
  }

  @Override
  public URI gatewayQueue() {
    return URI.create(fleet.queueUrl());
  }

  @Override
  public List<URI> gatewayOps() {
    return List.of(URI.create("http://127.0.0.1:" + fleet.gateway().opsPort()));
  }

  @Override
  public void apply(Path manifest) {
    Manifests.apply(admin(), manifest, namespace());
  }

  /** Stops the operator and gateway, as deleting their Deployments would; the chart's objects go with the CRDs. */
  @Override
  public void uninstall(Duration timeout) {
    fleet.operator().stop();
    fleet.gateway().close();
  }

  @Override
  public void close() {
    fleet.close();
  }
}
