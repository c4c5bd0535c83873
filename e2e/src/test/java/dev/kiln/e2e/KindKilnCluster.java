package dev.kiln.e2e;

import com.dajudge.kindcontainer.KindContainer;
import com.dajudge.kindcontainer.KindContainerVersion;
import dev.kiln.local.controlplane.HelmCommand;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.utility.MountableFile;

/**
 * Kiln on Kind in Docker, as a platform team installs it: the operator, gateway and CPU runtime images built from this
 * checkout and loaded into the node, then {@code helm install} of the chart. The gateway is reached through port
 * forwards to its pods.
 */
final class KindKilnCluster implements KilnCluster {

  private static final String NAMESPACE = "kiln";
  private static final String RELEASE = "kiln";
  /** Images are loaded into the node under this registry, so nothing is ever pulled for them. */
  private static final String REGISTRY = "kiln.local";
  private static final String TAG = "e2e";
  private static final Path CHART = KilnScenarios.REPOSITORY.resolve("helm").resolve("kiln");
  private static final String NODE_ARCHIVE = "/kiln-images.tar";
  private static final int RUN_PORT = 8080;
  private static final int QUEUE_PORT = 8081;
  private static final int OPS_PORT = 8082;

  private final KindContainer<?> kind;
  private final KubernetesClient admin;
  private final HelmCommand helm;
  private final Path kubeconfig;
  private final List<LocalPortForward> forwards = new ArrayList<>();
  private URI run;
  private URI queue;
  private final List<URI> ops = new ArrayList<>();

  private KindKilnCluster(KindContainer<?> kind, KubernetesClient admin, HelmCommand helm, Path kubeconfig) {
    this.kind = kind;
    this.admin = admin;
    this.helm = helm;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Whether a Docker engine is here to build the images and run Kind, through the docker command and its API. Where
   * {@code KILN_E2E_REQUIRE_KIND=true} (the e2e workflow), its absence is an error rather than a reason to skip.
   */
  static boolean dockerIsAvailable() {
    boolean available = KilnImages.dockerCommandWorks() && DockerClientFactory.instance().isDockerAvailable();
    if (!available && Boolean.parseBoolean(System.getenv("KILN_E2E_REQUIRE_KIND"))) {
      throw new IllegalStateException("KILN_E2E_REQUIRE_KIND=true, but no Docker engine answers the docker command "
          + "and Testcontainers: start Docker, or unset KILN_E2E_REQUIRE_KIND to skip the Kind scenarios");
    }
    return available;
  }

  /** Builds the images, starts Kind, loads them and installs the chart, keeping what it writes in {@code work}. */
  static KindKilnCluster start(Path work) throws Exception {
    KilnImages images = new KilnImages(KilnScenarios.REPOSITORY, REGISTRY, TAG);
    images.build();
    Path archive = images.save(work);

    System.out.println("starting Kind (Kubernetes " + KindContainerVersion.VERSION_1_34_0 + ")");
    KindContainer<?> kind = new KindContainer<>(KindContainerVersion.VERSION_1_34_0);
    kind.start();
    KubernetesClient admin = null;
    try {
      load(kind, archive);
      Files.delete(archive);
      Path kubeconfig = work.resolve("kubeconfig");
      Files.writeString(kubeconfig, kind.getKubeconfig());
      admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kind.getKubeconfig())).build();
      KindKilnCluster cluster = new KindKilnCluster(kind, admin,
          new HelmCommand(Files.createDirectories(work.resolve("helm"))), kubeconfig);
      cluster.install();
      cluster.forwardToGateways();
      return cluster;
    } catch (Exception | AssertionError e) {
      if (admin != null) {
        admin.close();
      }
      kind.stop();
      throw e;
    }
  }

  /** Imports the images into the node's containerd, where the kubelet finds them. */
  private static void load(KindContainer<?> kind, Path archive) throws IOException, InterruptedException {
    System.out.println("loading the images into the Kind node");
    kind.copyFileToContainer(MountableFile.forHostPath(archive), NODE_ARCHIVE);
    ExecResult imported = kind.execInContainer("ctr", "--namespace=k8s.io", "images", "import", "--digests",
        NODE_ARCHIVE);
    if (imported.getExitCode() != 0) {
      throw new IllegalStateException("ctr images import failed: " + imported.getStdout() + imported.getStderr());
    }
    kind.execInContainer("rm", "-f", NODE_ARCHIVE);
  }

  private void install() throws IOException, InterruptedException {
    System.out.println("helm install " + RELEASE + " " + CHART + " --namespace " + NAMESPACE);
    HelmCommand.Result installed = helm.run(Duration.ofMinutes(10), "install", RELEASE, CHART.toString(),
        "--namespace", NAMESPACE, "--create-namespace", "--kubeconfig", kubeconfig.toString(),
        "--set", "image.registry=" + REGISTRY, "--set", "image.tag=" + TAG, "--wait", "--timeout", "8m");
    if (installed.exitCode() != 0) {
      throw new IllegalStateException("helm install failed: " + installed.describe() + "\npods:\n" + describePods());
    }
  }

  /** Forwards local ports to the run and queue listeners of one gateway pod, and to every gateway pod's ops listener. */
  private void forwardToGateways() {
    List<Pod> gateways = admin.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", "kiln-gateway")
        .list().getItems();
    if (gateways.isEmpty()) {
      throw new IllegalStateException("helm install finished but no gateway pod is there:\n" + describePods());
    }
    String first = gateways.getFirst().getMetadata().getName();
    run = forward(first, RUN_PORT);
    queue = forward(first, QUEUE_PORT);
    for (Pod gateway : gateways) {
      ops.add(forward(gateway.getMetadata().getName(), OPS_PORT));
    }
  }

  private URI forward(String pod, int port) {
    LocalPortForward forward = admin.pods().inNamespace(NAMESPACE).withName(pod).portForward(port);
    forwards.add(forward);
    return URI.create("http://127.0.0.1:" + forward.getLocalPort());
  }

  /** Each pod in Kiln's namespace with its phase and why any container is waiting, for a failure's message. */
  private String describePods() {
    return admin.pods().inNamespace(NAMESPACE).list().getItems().stream()
        .map(pod -> pod.getMetadata().getName() + " " + pod.getStatus().getPhase() + " "
            + Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(), List.<ContainerStatus>of()).stream()
                .filter(status -> status.getState() != null && status.getState().getWaiting() != null)
                .map(status -> status.getName() + ": " + status.getState().getWaiting().getReason() + " "
                    + status.getState().getWaiting().getMessage())
                .collect(Collectors.joining("; ")))
        .collect(Collectors.joining("\n"));
  }

  @Override
  public String provider() {
    return "Kind";
  }

  @Override
  public KubernetesClient admin() {
    return admin;
  }

  @Override
  public String namespace() {
    return NAMESPACE;
  }

  @Override
  public URI gatewayRun() {
    return run;
  }

  @Override
  public URI gatewayQueue() {
    return queue;
  }

  @Override
  public List<URI> gatewayOps() {
    return ops;
  }

  @Override
  public void apply(Path manifest) {
    Manifests.apply(admin, manifest, NAMESPACE);
  }

  @Override
  public void uninstall(Duration timeout) {
    try {
      HelmCommand.Result uninstalled = helm.run(timeout, "uninstall", RELEASE, "--namespace", NAMESPACE,
          "--kubeconfig", kubeconfig.toString(), "--wait", "--timeout", timeout.toSeconds() + "s");
      if (uninstalled.exitCode() != 0) {
        throw new IllegalStateException("helm uninstall failed: " + uninstalled.describe());
      }
    } catch (IOException e) {
      throw new IllegalStateException("helm uninstall could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during helm uninstall", e);
    }
  }

  @Override
  public void close() throws IOException {
    for (LocalPortForward forward : forwards) {
      forward.close();
    }
    admin.close();
    kind.stop();
  }
}
