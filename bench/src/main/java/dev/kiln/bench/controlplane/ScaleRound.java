package dev.kiln.bench.controlplane;

import dev.kiln.crds.KilnCrds;
import dev.kiln.local.controlplane.ClusterManifests;
import dev.kiln.local.controlplane.ControlPlane;
import dev.kiln.local.controlplane.ServiceAccountKubeconfig;
import dev.kiln.local.controlplane.KubernetesBinaries;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.NodeAgent;
import dev.kiln.local.node.UnmappedImages;
import dev.kiln.operator.model.ModelReconciler;
import dev.kiln.operator.pool.GpuPoolReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One measured round at one size, everything fresh: a control plane that audits the operator's
 * requests, the node agent playing the workers' nodes in status-only mode with a
 * {@link FakeWorkerRuntime} on each worker pod's address, and the operator in its own JVM. Every
 * pool and model is applied at once; the round ends when all have converged, or at the timeout with
 * what had converged by then.
 */
final class ScaleRound {

  static final String NAMESPACE = "kiln";
  /** Unmapped in the node agent, so every worker pod runs status-only. */
  static final String RUNTIME_IMAGE = "ghcr.io/kiln-dev/kiln-runtime:status-only";
  static final List<String> CONTROLLERS = List.of(ModelReconciler.NAME, GpuPoolReconciler.NAME);
  private static final String OPERATOR_ACCOUNT = "kiln-operator";
  private static final String RECONCILE_BUCKETS = "operator_sdk_controllers_execution_reconcile_seconds_bucket";
  private static final int APPLIERS = 16;
  private static final Duration OPERATOR_START = Duration.ofMinutes(2);

  private ScaleRound() {}

  static RoundResult run(KubernetesBinaries binaries, ScaleSize size, Path directory, Duration timeout)
      throws Exception {
    OperatorAudit audit = OperatorAudit.of("system:serviceaccount:" + NAMESPACE + ":" + OPERATOR_ACCOUNT,
        directory.resolve("audit"));
    try (ControlPlane controlPlane = ControlPlane.start(binaries, directory.resolve("control-plane"),
            ControlPlane.OnJvmExit.STOP_PROCESSES, audit.apiServerFlags());
        FakeWorkerRuntimes runtimes = new FakeWorkerRuntimes()) {
      controlPlane.startScheduler();
      controlPlane.startControllerManager();
      KubernetesClient admin = controlPlane.adminClient();
      prepare(admin);
      Path kubeconfig = ServiceAccountKubeconfig.write(controlPlane, NAMESPACE, OPERATOR_ACCOUNT,
          directory.resolve("operator.kubeconfig"));
      try (NodeAgent nodeAgent = nodeAgent(admin, size, runtimes, directory.resolve("node-agent"));
          OperatorProcess operator = OperatorProcess.start(kubeconfig, NAMESPACE, RUNTIME_IMAGE,
              directory.resolve("operator.log"))) {
        operator.awaitReady(OPERATOR_START);
        return measure(admin, size, operator, audit, runtimes, timeout);
      }
    }
  }

  private static RoundResult measure(KubernetesClient admin, ScaleSize size, OperatorProcess operator,
      OperatorAudit audit, FakeWorkerRuntimes runtimes, Duration timeout) throws Exception {
    try (Convergence convergence = Convergence.watch(admin, NAMESPACE, size.pools(), size.models())) {
      Map<String, LatencyHistogram> before = reconciles(operator.metrics());
      Duration cpuBefore = operator.cpuTime();
      Instant from = Instant.now();
      long started = System.nanoTime();
      applyAtOnce(admin, size);
      OptionalLong convergedAt = convergence.await(timeout);
      long ended = convergedAt.orElseGet(System::nanoTime);
      Instant to = Instant.now();
      int convergedObjects = convergence.convergedCount();
      long loads = runtimes.tally().loads();
      long unloads = runtimes.tally().unloads();
      Duration cpu = operator.cpuTime().minus(cpuBefore);
      Map<String, LatencyHistogram> reconciles = new HashMap<>();
      reconciles(operator.metrics()).forEach((controller, histogram) ->
          reconciles.put(controller, histogram.minus(before.get(controller))));
      long heap = operator.liveHeapBytes();
      return new RoundResult(size, convergedAt.isPresent() ? size.objects() : convergedObjects,
          Duration.ofNanos(ended - started), cpu, heap, reconciles, audit.requests(from, to), loads, unloads);
    }
  }

  private static Map<String, LatencyHistogram> reconciles(PrometheusText metrics) {
    Map<String, LatencyHistogram> byController = new HashMap<>();
    CONTROLLERS.forEach(controller ->
        byController.put(controller, LatencyHistogram.of(metrics, RECONCILE_BUCKETS, Map.of("controller", controller))));
    return byController;
  }

  /** Kiln's CRDs, the namespace with its default ServiceAccount, and the chart's RBAC for the operator. */
  private static void prepare(KubernetesClient admin) {
    ClusterManifests.installCrds(admin, KilnCrds.NAMES.stream().map(KilnCrds::yaml).toList());
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    admin.serviceAccounts().inNamespace(NAMESPACE)
        .resource(new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
        .serverSideApply();
    ClusterManifests.applyChartTemplate(admin, "operator-rbac.yaml", NAMESPACE);
  }

  private static NodeAgent nodeAgent(KubernetesClient admin, ScaleSize size, FakeWorkerRuntimes runtimes,
      Path directory) {
    NodeAgent.Builder agent = NodeAgent.builder(admin)
        .unmappedImages(UnmappedImages.RUN_STATUS_ONLY)
        .statusOnlyStandIn(runtimes)
        .workDirectory(directory);
    for (int i = 1; i <= size.nodes(); i++) {
      agent.node(FakeNode.gpu("scale-node-" + i, ScaleSize.GPUS_PER_NODE));
    }
    return agent.start();
  }

  /** Every pool and model created together, {@link #APPLIERS} requests at a time. */
  private static void applyAtOnce(KubernetesClient admin, ScaleSize size) throws InterruptedException {
    List<HasMetadata> resources = new ArrayList<>(ScaleWorkload.pools(NAMESPACE, size, RUNTIME_IMAGE));
    resources.addAll(ScaleWorkload.models(NAMESPACE, size));
    List<Callable<HasMetadata>> creates = resources.stream()
        .<Callable<HasMetadata>>map(resource -> () -> admin.resource(resource).create())
        .toList();
    try (ExecutorService appliers = Executors.newFixedThreadPool(APPLIERS)) {
      for (Future<HasMetadata> created : appliers.invokeAll(creates)) {
        try {
          created.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("applying the objects failed", e.getCause());
        }
      }
    }
  }
}
