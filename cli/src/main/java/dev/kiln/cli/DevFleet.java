package dev.kiln.cli;

import dev.kiln.crds.KilnCrds;
import dev.kiln.gateway.Gateway;
import dev.kiln.gateway.GatewaySettings;
import dev.kiln.gateway.webhook.WebhookTargets;
import dev.kiln.local.controlplane.ClusterManifests;
import dev.kiln.local.controlplane.ControlPlane;
import dev.kiln.local.controlplane.KubernetesBinaries;
import dev.kiln.local.controlplane.LocalCertificates;
import dev.kiln.local.node.ContainerImages;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.JavaMainImage;
import dev.kiln.local.node.NodeAgent;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.pool.DrainSettings;
import dev.kiln.operator.scaling.ScalingSettings;
import dev.kiln.runtime.RuntimeMain;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Kiln on this machine: a control plane from Kubernetes' own binaries, the node agent playing
 * fake GPU nodes whose worker pods run the real runtime as local processes, and the operator and
 * gateway in this process, each as its ServiceAccount under the chart's RBAC. Closing stops
 * everything in the reverse order, saying so.
 */
public final class DevFleet implements AutoCloseable {

  public static final String NAMESPACE = "kiln";
  /** The image of the workers' runtime container, which the node agent plays with the runtime in a local JVM. */
  public static final String RUNTIME_IMAGE = "ghcr.io/kiln-dev/kiln-runtime:dev";
  private static final Duration GATEWAY_DRAIN = Duration.ofSeconds(5);
  /** Webhooks from a gateway on a laptop go to receivers on the same laptop, or on its private network. */
  private static final WebhookTargets LOCAL_WEBHOOKS = WebhookTargets.allowing(
      List.of("127.0.0.0/8", "::1", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "localhost"));

  /**
   * @param nodes how many fake GPU nodes
   * @param gpusPerNode the {@code nvidia.com/gpu} each node offers
   * @param runPort the gateway's run listener on 127.0.0.1
   * @param queuePort the gateway's queue listener on 127.0.0.1
   * @param https whether the gateway's listeners serve https (with certificates issued for this machine), as
   *     {@code kiln dev} does because fal's Python client only speaks https; plain http otherwise
   */
  public record Settings(int nodes, int gpusPerNode, int runPort, int queuePort, boolean https) {

    /** The gateway on https, as {@code kiln dev} runs it. */
    public Settings(int nodes, int gpusPerNode, int runPort, int queuePort) {
      this(nodes, gpusPerNode, runPort, queuePort, true);
    }
  }

  private record Running(String name, AutoCloseable stop) {}

  private final Settings settings;
  private final List<String> workerJvmOptions;
  private final DevPaths paths;
  private final Progress progress;
  private final Deque<Running> running = new ArrayDeque<>();
  private ControlPlane controlPlane;
  private LocalCertificates certificates;
  private KilnOperator operator;
  private Gateway gateway;

  private DevFleet(Settings settings, List<String> workerJvmOptions, DevPaths paths, Progress progress) {
    this.settings = settings;
    this.workerJvmOptions = List.copyOf(workerJvmOptions);
    this.paths = paths;
    this.progress = progress;
  }

  /** Starts everything, or stops what it started and throws. */
  public static DevFleet start(Settings settings, DevPaths paths, Progress progress) throws Exception {
    return start(settings, List.of(), paths, progress);
  }

  /**
   * As {@link #start(Settings, DevPaths, Progress)}, with {@code workerJvmOptions} added to every worker's JVM,
   * e.g. a trust store for a loopback HTTPS server that models are downloaded from.
   */
  public static DevFleet start(Settings settings, List<String> workerJvmOptions, DevPaths paths, Progress progress)
      throws Exception {
    DevFleet fleet = new DevFleet(settings, workerJvmOptions, paths, progress);
    try {
      fleet.startAll();
      return fleet;
    } catch (Exception | Error e) {
      boolean interrupted = Thread.interrupted();
      fleet.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      throw e;
    }
  }

  private void startAll() throws Exception {
    KubernetesBinaries binaries = progress.step("Kubernetes binaries", KubernetesBinaries::locate);
    progress.detail(binaries.version() + " in " + binaries.directory());
    controlPlane = progress.step("control plane: etcd, kube-apiserver, kube-scheduler, kube-controller-manager",
        () -> {
          // DevCommand's shutdown hook closes everything in order, the control plane last.
          ControlPlane started = ControlPlane.start(binaries, paths.run().resolve("control-plane"),
              ControlPlane.OnJvmExit.OWNER_CLOSES);
          running.push(new Running("control plane", started));
          started.startScheduler();
          started.startControllerManager();
          return started;
        });
    progress.detail("API server " + controlPlane.apiServerUrl());
    KubernetesClient admin = controlPlane.adminClient();
    progress.step("Kiln's CRDs, the namespace " + NAMESPACE + " and the chart's RBAC", () -> {
      ClusterManifests.installCrds(admin, KilnCrds.NAMES.stream().map(KilnCrds::yaml).toList());
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      // Pods need the namespace's "default" ServiceAccount; kube-controller-manager makes it too, a little later.
      admin.serviceAccounts().inNamespace(NAMESPACE)
          .resource(new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
          .serverSideApply();
      ClusterManifests.applyChartTemplate(admin, "operator-rbac.yaml", NAMESPACE);
      ClusterManifests.applyChartTemplate(admin, "gateway-rbac.yaml", NAMESPACE);
    });
    progress.step("node agent: " + settings.nodes() + " fake node(s) with " + settings.gpusPerNode() + " GPU(s) each",
        () -> {
          NodeAgent.Builder agent = NodeAgent.builder(admin).images(runtimeImages())
              .workDirectory(paths.run().resolve("node-agent"));
          for (int i = 1; i <= settings.nodes(); i++) {
            agent.node(FakeNode.gpu("kiln-dev-node-" + i, settings.gpusPerNode()));
          }
          running.push(new Running("node agent (and the worker processes)", agent.start()));
        });
    operator = progress.step("operator", () -> {
      KilnOperator started = KilnOperator.start(client("kiln-operator"), new OperatorSettings(Set.of(NAMESPACE),
          RUNTIME_IMAGE, 0, Optional.empty(), ScalingSettings.defaults(), DrainSettings.defaults()));
      running.push(new Running("operator", started::stop));
      return started;
    });
    progress.detail("metrics on http://127.0.0.1:" + operator.httpPort() + "/metrics");
    gateway = progress.step("gateway (" + scheme() + ")", () -> {
      Optional<GatewaySettings.TlsFiles> tls = Optional.empty();
      if (settings.https()) {
        certificates = LocalCertificates.issue(paths.tls());
        tls = Optional.of(new GatewaySettings.TlsFiles(certificates.certificateChain(), certificates.privateKey()));
      }
      Gateway started = Gateway.start(new GatewaySettings(Set.of(NAMESPACE), "127.0.0.1", settings.runPort(),
          settings.queuePort(), 0, tls, 32L << 20, Duration.ofHours(1), paths.run().resolve("gateway-spill"),
          256L << 20, 1000, Duration.ofMinutes(10), GATEWAY_DRAIN,
          new GatewaySettings.Webhooks(Optional.empty(), Duration.ofHours(2), LOCAL_WEBHOOKS), Optional.empty(),
          Optional.empty()),
          client("kiln-gateway"), Clock.systemUTC());
      running.push(new Running("gateway (draining for up to " + GATEWAY_DRAIN.toSeconds() + " s)",
          () -> started.shutdown(GATEWAY_DRAIN)));
      return started;
    });
  }

  private String scheme() {
    return settings.https() ? "https" : "http";
  }

  /** The worker image: the runtime in a JVM of its own, its model cache in the pod's working directory. */
  private ContainerImages runtimeImages() {
    JavaMainImage runtime = JavaMainImage.of(RuntimeMain.class).withMoreJvmOptions(workerJvmOptions);
    return ContainerImages.none().map(RUNTIME_IMAGE, launch -> Stream.concat(
        Stream.of("env", "KILN_CACHE_DIR=" + launch.workingDirectory().resolve("model-cache")),
        runtime.command(launch).stream()).toList());
  }

  private KubernetesClient client(String serviceAccount) {
    KubernetesClient client = ControlPlane.newClient(controlPlane.serviceAccountConfig(NAMESPACE, serviceAccount));
    running.push(new Running(serviceAccount + "'s client", client));
    return client;
  }

  public KubernetesClient admin() {
    return controlPlane.adminClient();
  }

  public Path kubeconfig() {
    return controlPlane.adminKubeconfig();
  }

  /** Where the node agent keeps each pod's directory, with a log per container (there is no {@code kubectl logs}). */
  public Path workerLogs() {
    return paths.run().resolve("node-agent").resolve("pods");
  }

  public Path kubectl() {
    return controlPlane.binaries().kubectl();
  }

  /** The certificates the gateway serves https with; null when it serves plain http. */
  public LocalCertificates certificates() {
    return certificates;
  }

  public Gateway gateway() {
    return gateway;
  }

  public KilnOperator operator() {
    return operator;
  }

  public String runUrl() {
    return scheme() + "://127.0.0.1:" + gateway.runPort();
  }

  public String queueUrl() {
    return scheme() + "://127.0.0.1:" + gateway.queuePort();
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      Running next = running.pop();
      try {
        progress.step("stopping " + next.name(), () -> next.stop().close());
      } catch (Exception e) {
        // Said by the step; the rest still stops.
      }
    }
  }
}
