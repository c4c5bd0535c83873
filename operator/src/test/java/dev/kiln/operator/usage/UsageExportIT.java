package dev.kiln.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.pool.PoolLabels;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.FakeNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator, as the {@code kiln-operator} ServiceAccount, exports the usage of a pool whose
 * worker runs the real runtime, and a new operator carries the counters on from the checkpoint.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
class UsageExportIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String POOL = "metered";
  private static final String MODEL = "echo";
  private static final String GPU_TYPE = "NVIDIA-H100-80GB-HBM3";
  private static final BigDecimal PRICE = new BigDecimal("0.002");

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final WorkerAdminClient RUNTIME = WorkerAdminClient.withDefaults();

  @BeforeAll
  static void start(TestCluster testCluster) throws Exception {
    cluster = testCluster;
    admin = cluster.admin();
    OperatorFixture.prepare(cluster,
        FakeNode.gpu("usage-gpu-" + cluster.namespace(), 1).withLabel(WorkerPodStatus.GPU_PRODUCT, GPU_TYPE));
    admin.resource(pool()).create();
    admin.resource(model()).create();
  }

  @Test
  void busyAllocatedAndCostCountersFollowTheWorkerAndSurviveARestart() throws Exception {
    KilnOperator first = startOperator();
    Pod worker = awaitServingWorker();
    // Loading and warming the model may have kept it busy already: the runtime's own count before the requests.
    BigDecimal served = busyBefore(worker).add(serve(worker, 20));

    await("busy seconds match the runtime's").atMost(TIMEOUT).untilAsserted(() ->
        assertThat(busySeconds(first)).isCloseTo(served.doubleValue(), offset(1e-9)));
    Instant runningSince = runningSince(worker);
    Instant mark = Instant.now();
    await("allocated GPU-seconds reach the worker's running time").atMost(TIMEOUT).untilAsserted(() -> {
      String metrics = metrics(first);
      double allocated = value(metrics, "kiln_pool_allocated_gpu_seconds_total", "gpu_type=\"" + GPU_TYPE + "\"");
      assertThat(allocated).isGreaterThanOrEqualTo(seconds(runningSince, mark))
          .isLessThanOrEqualTo(seconds(runningSince, Instant.now()));
      assertThat(value(metrics, "kiln_pool_cost_total", "currency=\"EUR\"")).isCloseTo(allocated * PRICE.doubleValue(), offset(1e-9));
      assertThat(value(metrics, "kiln_pool_idle_gpu_seconds_total", "pool=\"" + POOL + "\""))
          .isGreaterThanOrEqualTo(allocated - served.doubleValue() - 1e-9);
    });
    assertThat(metrics(first).lines().filter(line -> line.startsWith("kiln_usage_last_collection_timestamp_seconds "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(0))
        .as("when usage was last stored, for the alert on a stalled export")
        .isGreaterThanOrEqualTo(mark.getEpochSecond() - 1.0);

    double allocatedBefore = metric(first, "kiln_pool_allocated_gpu_seconds_total", "pool=\"" + POOL + "\"");
    first.stop();
    UsageCheckpoint stored = new UsageCheckpointStore(admin, cluster.namespace()).read();
    assertThat(stored.pods()).extracting(PodSpan::uid).containsExactly(worker.getMetadata().getUid());
    KilnOperator second = startOperator();
    BigDecimal servedAfter = served.add(serve(worker, 10));

    await("the new operator carries the counters on").atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(busySeconds(second)).isCloseTo(servedAfter.doubleValue(), offset(1e-9));
      assertThat(metric(second, "kiln_pool_allocated_gpu_seconds_total", "pool=\"" + POOL + "\""))
          .isGreaterThan(allocatedBefore)
          .isLessThanOrEqualTo(seconds(runningSince, Instant.now()));
    });
  }

  private static KilnOperator startOperator() {
    OperatorSettings settings = new OperatorSettings(Set.of(cluster.namespace()), OperatorFixture.IMAGE);
    KilnOperator operator = KilnOperator.start(cluster.clientAs("kiln-operator"), settings, () -> {},
        new UsageSettings(cluster.namespace(), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    cluster.closeAfterClass(operator::stop);
    return operator;
  }

  private static Pod awaitServingWorker() {
    return await(MODEL + " served").atMost(TIMEOUT).until(() -> {
      List<Pod> ready = admin.pods().inNamespace(cluster.namespace()).withLabel(PoolLabels.POOL, POOL).list().getItems()
          .stream().filter(WorkerPods::live).filter(WorkerPods::ready).toList();
      return ready.size() == 1 && RUNTIME.list(address(ready.getFirst())).stream().anyMatch(m -> m.name().equals(MODEL))
          ? ready.getFirst() : null;
    }, pod -> pod != null);
  }

  private static BigDecimal busyBefore(Pod worker) throws Exception {
    return BigDecimal.valueOf(RUNTIME.busyNanos(address(worker)).getOrDefault(MODEL, 0L), 9);
  }

  private static URI address(Pod worker) {
    return WorkerAdminClient.worker(worker.getStatus().getPodIP());
  }

  /** Sends {@code requests} requests straight to the worker; returns the sum of their {@code X-Kiln-Busy-Seconds}. */
  private static BigDecimal serve(Pod worker, int requests) throws Exception {
    BigDecimal busy = BigDecimal.ZERO;
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = run(worker);
      assertThat(response.statusCode()).isEqualTo(200);
      busy = busy.add(new BigDecimal(response.headers().firstValue("X-Kiln-Busy-Seconds").orElseThrow()));
    }
    return busy;
  }

  private static HttpResponse<String> run(Pod worker) throws Exception {
    return http.send(HttpRequest.newBuilder(
            URI.create("http://" + worker.getStatus().getPodIP() + ":8080/models/" + MODEL + "/run"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"hello\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Instant runningSince(Pod worker) {
    Pod now = admin.resource(worker).get();
    return WorkerPodStatus.of(now, ref -> null, Map.of()).orElseThrow().runningSince();
  }

  private static double busySeconds(KilnOperator operator) throws Exception {
    return metric(operator, "kiln_model_busy_seconds_total", "model=\"" + MODEL + "\"");
  }

  private static double metric(KilnOperator operator, String name, String label) throws Exception {
    return value(metrics(operator), name, label);
  }

  private static String metrics(KilnOperator operator) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of the series {@code name} whose labels include {@code label}; 0 while it is not exported. */
  private static double value(String metrics, String name, String label) {
    return metrics.lines()
        .filter(line -> line.startsWith(name + "{") && line.contains(label))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  private static GpuPool pool() {
    GpuPool pool = OperatorFixture.gpuPool(cluster.namespace(), POOL, 1, 1);
    pool.getSpec().setPricePerGpuSecond(PRICE.toPlainString());
    pool.getSpec().setCurrency("EUR");
    return pool;
  }

  private static Model model() {
    return OperatorFixture.hotSyntheticModel(cluster.namespace(), MODEL, POOL, 1, 1);
  }
}
