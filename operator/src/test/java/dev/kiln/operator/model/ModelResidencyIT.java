package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelPhase;
import dev.kiln.crds.model.ModelSource;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.crds.model.Residency;
import dev.kiln.crds.model.ResidencyPolicy;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.runtime.LoadedModel;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.NodeAgent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 1 on a real control plane: the operator, as the {@code kiln-operator} ServiceAccount, makes
 * Models resident on worker pods that run the real runtime, and reports what happened.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelResidencyIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String POOL = "serving";

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static NodeAgent kubelet;
  private static KilnOperator operator;
  private static PoolResidency residency;
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  static Path files;

  @RegisterExtension
  static final TestWatcher DUMP_ON_FAILURE = PoolResidency.dumpOnFailure(() -> residency, () -> kubelet);

  @BeforeAll
  static void start(TestCluster testCluster) throws Exception {
    cluster = testCluster;
    admin = cluster.admin();
    residency = new PoolResidency(admin, cluster.namespace(), POOL);
    String suffix = cluster.namespace();
    kubelet = OperatorFixture.prepare(cluster, FakeNode.gpu("model-gpu-a-" + suffix, 2),
        FakeNode.gpu("model-gpu-b-" + suffix, 2));
    operator = KilnOperator.start(cluster.clientAs("kiln-operator"),
        new OperatorSettings(Set.of(cluster.namespace()), OperatorFixture.IMAGE));
    cluster.closeAfterClass(operator::stop);
    admin.resource(pool()).create();
  }

  @Test
  @Order(1)
  void aHotModelBecomesResidentOnBothWorkersAndServes() throws Exception {
    admin.resource(model("echo", ModelTask.SYNTHETIC, "file:///dev/null", null, 2)).create();

    List<Pod> workers = awaitResident("echo", 2);
    for (Pod worker : workers) {
      assertThat(ResidencyAnnotations.read(worker.getMetadata().getAnnotations(), ResidencyAnnotations.DESIRED))
          .containsKey("echo");
      assertThat(run(worker, "echo").statusCode()).isEqualTo(200);
    }
    Model echo = await("echo Ready").atMost(TIMEOUT).until(() -> residency.model("echo"),
        m -> m.getStatus() != null && Integer.valueOf(2).equals(m.getStatus().getResidentReplicas())
            && PoolResidency.condition(m, "Ready").map(c -> c.getStatus().equals("True")).orElse(false));
    assertThat(echo.getStatus().getPhase()).isEqualTo(ModelPhase.READY);
    assertThat(echo.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(echo.getStatus().getWorkers()).containsExactlyInAnyOrderElementsOf(
        workers.stream().map(pod -> pod.getMetadata().getName()).toList());
    assertThat(echo.getStatus().getVersion()).isEqualTo(ModelVersion.of(echo.getSpec()));
    assertThat(echo.getStatus().getLastLoadTime()).isNotNull();
    assertThat(residency.events("echo", ModelEvents.LOADED)).isNotEmpty();
    // Two replicas loaded, one cold start.
    assertThat(metrics().lines()).anyMatch(line -> line.matches(
        "kiln_model_cold_start_seconds_count\\{[^}]*model=\"echo\"[^}]*namespace=\"" + cluster.namespace() + "\"[^}]*} 1(\\.0)?"));
    // The status as gauges, read from the API server at scrape time.
    assertThat(metrics().lines())
        .anyMatch(line -> line.matches("kiln_model_replicas\\{[^}]*model=\"echo\"[^}]*state=\"ready\"[^}]*} 2(\\.0)?"))
        .anyMatch(line -> line.matches("kiln_model_replicas\\{[^}]*model=\"echo\"[^}]*state=\"resident\"[^}]*} 2(\\.0)?"))
        .anyMatch(line -> line.matches("kiln_pool_workers\\{[^}]*state=\"ready\"[^}]*} [1-9].*"));
  }

  private static String metrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  @Order(2)
  void aReplacementWorkerGetsTheModelLoadedAgain() throws Exception {
    Pod victim = awaitResident("echo", 2).getFirst();
    admin.resource(victim).delete();

    List<Pod> workers = await("echo resident on the replacement").atMost(TIMEOUT)
        .until(() -> residency.residentWorkers("echo"), pods -> pods.size() == 2
            && pods.stream().noneMatch(p -> p.getMetadata().getUid().equals(victim.getMetadata().getUid())));
    for (Pod worker : workers) {
      assertThat(run(worker, "echo").statusCode()).isEqualTo(200);
    }
    await("echo back to 2 resident").atMost(TIMEOUT)
        .until(() -> residency.model("echo").getStatus().getWorkers(),
            names -> names.size() == 2 && !names.contains(victim.getMetadata().getName()));
  }

  @Test
  @Order(3)
  void aRestartedRuntimeGetsItsModelLoadedAgain() throws Exception {
    Pod worker = awaitResident("echo", 2).getFirst();
    int restarts = ResidencyChecks.restarts(worker);
    kubelet.process(cluster.namespace(), worker.getMetadata().getName(), "runtime").orElseThrow().destroyForcibly();

    await("echo back on the restarted runtime").atMost(TIMEOUT).until(() -> {
      Pod now = admin.resource(worker).get();
      return ResidencyChecks.restarts(now) > restarts && WorkerPods.ready(now)
          && ResidencyAnnotations.read(now.getMetadata().getAnnotations(), ResidencyAnnotations.RESIDENT).containsKey("echo")
          && run(now, "echo").statusCode() == 200;
    });
  }

  @Test
  @Order(4)
  void aWrongChecksumFailsThatModelOnlyWithItsReasonAndAnEvent() throws Exception {
    Path file = Files.write(files.resolve("broken.onnx"), new byte[] {1, 2, 3});
    admin.resource(model("broken", ModelTask.TENSOR, file.toUri().toString(), "0".repeat(64), 1)).create();

    Model broken = await("broken ChecksumMismatch").atMost(TIMEOUT).until(() -> residency.model("broken"),
        m -> PoolResidency.condition(m, "Ready").filter(c -> "ChecksumMismatch".equals(c.getReason())).isPresent());
    assertThat(PoolResidency.condition(broken, "Ready").orElseThrow().getMessage()).contains("sha256 mismatch");
    assertThat(broken.getStatus().getPhase()).isEqualTo(ModelPhase.FAILED);
    assertThat(broken.getStatus().getResidentReplicas()).isZero();
    await("LoadFailed event").atMost(TIMEOUT)
        .until(() -> residency.events("broken", ModelEvents.LOAD_FAILED), list -> !list.isEmpty());
    assertThat(residency.events("broken", ModelEvents.LOAD_FAILED).getFirst().getType()).isEqualTo("Warning");

    for (Pod worker : residency.residentWorkers("echo")) {
      assertThat(run(worker, "echo").statusCode()).isEqualTo(200);
      assertThat(ResidencyAnnotations.read(worker.getMetadata().getAnnotations(), ResidencyAnnotations.RESIDENT))
          .doesNotContainKey("broken");
    }
    assertThat(residency.model("echo").getStatus().getPhase()).isEqualTo(ModelPhase.READY);
  }

  @Test
  @Order(5)
  void aDeletedModelIsUnloadedFromItsWorkersBeforeItGoes() throws Exception {
    List<Pod> workers = awaitResident("echo", 2);
    admin.resource(residency.model("echo")).delete();

    await("echo gone").atMost(TIMEOUT).until(() -> residency.model("echo") == null);
    WorkerAdminClient runtime = WorkerAdminClient.withDefaults();
    for (Pod worker : workers) {
      Pod now = admin.resource(worker).get();
      assertThat(ResidencyAnnotations.read(now.getMetadata().getAnnotations(), ResidencyAnnotations.RESIDENT)).doesNotContainKey("echo");
      assertThat(ResidencyAnnotations.read(now.getMetadata().getAnnotations(), ResidencyAnnotations.DESIRED)).doesNotContainKey("echo");
      assertThat(runtime.list(WorkerAdminClient.worker(worker.getStatus().getPodIP())))
          .extracting(LoadedModel::name).doesNotContain("echo");
      assertThat(run(worker, "echo").statusCode()).isEqualTo(404);
    }
    assertThat(residency.events("echo", ModelEvents.UNLOADED)).hasSize(2);
  }

  @Test
  @Order(6)
  void anOnDemandModelStaysWhileInUseAndIsUnloadedOnceIdlePastItsTimeout() throws Exception {
    Duration idleTimeout = Duration.ofSeconds(8);
    Model applied = admin.resource(onDemand(model("sometimes", ModelTask.SYNTHETIC, "file:///dev/null", null, 1),
        idleTimeout.toSeconds() + "s")).create();
    Pod worker = awaitResident("sometimes", 1).getFirst();
    Instant created = Instant.parse(applied.getMetadata().getCreationTimestamp());

    // In use for longer than its idle timeout: it must stay, and its last request time must follow the traffic.
    await("sometimes in use past its idle timeout").atMost(TIMEOUT).until(() -> {
      assertThat(run(worker, "sometimes").statusCode()).isEqualTo(200);
      String last = residency.model("sometimes").getStatus().getLastRequestTime();
      return last != null && !Instant.parse(last).isBefore(created.plus(idleTimeout.plusSeconds(4)));
    });
    assertThat(residency.events("sometimes", ModelEvents.UNLOADED)).as("unloaded while in use").isEmpty();

    await("sometimes unloaded once idle").atMost(TIMEOUT).until(() -> residency.residentWorkers("sometimes").isEmpty());
    Instant lastRequest = Instant.parse(residency.model("sometimes").getStatus().getLastRequestTime());
    Event unloaded = await("Unloaded event").atMost(TIMEOUT)
        .until(() -> residency.events("sometimes", ModelEvents.UNLOADED), list -> !list.isEmpty()).getFirst();
    assertThat(unloaded.getMessage()).contains("idleTimeout");
    assertThat(Instant.parse(unloaded.getFirstTimestamp())).isAfterOrEqualTo(lastRequest.plus(idleTimeout));
    assertThat(run(admin.resource(worker).get(), "sometimes").statusCode()).isEqualTo(404);
    assertThat(metrics().lines()).anyMatch(line -> line.matches(
        "kiln_model_unloads_total\\{[^}]*model=\"sometimes\"[^}]*reason=\"idle\"[^}]*} 1(\\.0)?"));
    admin.resource(residency.model("sometimes")).delete();
  }

  @Test
  @Order(7)
  void aHotModelEvictsAnOnDemandOneWhenThePoolCannotGrowAndSaysSo() throws Exception {
    admin.resource(withMemory(onDemand(model("filler", ModelTask.SYNTHETIC, "file:///dev/null", null, 1), "1h"), "10Gi"))
        .create();
    Pod filled = awaitResident("filler", 1).getFirst();

    admin.resource(withMemory(model("wide", ModelTask.SYNTHETIC, "file:///dev/null", null, 2), "10Gi")).create();

    awaitResident("wide", 2);
    assertThat(residency.residentWorkers("filler")).isEmpty();
    Event evicted = await("Evicted event").atMost(TIMEOUT)
        .until(() -> residency.events("filler", ModelEvents.EVICTED), list -> !list.isEmpty()).getFirst();
    assertThat(evicted.getMessage()).contains(filled.getMetadata().getName()).contains("make room");
    Model filler = await("filler NoCapacity").atMost(TIMEOUT).until(() -> residency.model("filler"),
        m -> PoolResidency.condition(m, "Resident").map(c -> "NoCapacity".equals(c.getReason())).orElse(false));
    assertThat(filler.getStatus().getResidentReplicas()).isZero();
    assertThat(metrics().lines()).anyMatch(line -> line.matches(
        "kiln_model_unloads_total\\{[^}]*model=\"filler\"[^}]*reason=\"evicted\"[^}]*} 1(\\.0)?"));
    assertThat(metrics().lines()).anyMatch(line -> line.matches(
        "kiln_model_loads_total\\{[^}]*model=\"wide\"[^}]*result=\"loaded\"[^}]*} 2(\\.0)?"));
  }

  private static Model onDemand(Model model, String idleTimeout) {
    model.getSpec().getResidency().setPolicy(ResidencyPolicy.ON_DEMAND);
    model.getSpec().getResidency().setMinReplicas(0);
    model.getSpec().getResidency().setIdleTimeout(idleTimeout);
    return model;
  }

  private static Model withMemory(Model model, String memory) {
    model.getSpec().setGpuMemory(new Quantity(memory));
    return model;
  }

  private static GpuPool pool() {
    return OperatorFixture.gpuPool(cluster.namespace(), POOL, 2, 2);
  }

  private static Model model(String name, ModelTask task, String uri, String sha256, int replicas) {
    Model model = new Model();
    model.getMetadata().setName(name);
    model.getMetadata().setNamespace(cluster.namespace());
    model.getSpec().setPool(POOL);
    model.getSpec().setTask(task);
    ModelSource source = new ModelSource();
    source.setUri(uri);
    source.setSha256(sha256);
    model.getSpec().setSource(source);
    model.getSpec().setGpuMemory(new Quantity("1Gi"));
    Residency residency = new Residency();
    residency.setPolicy(ResidencyPolicy.HOT);
    residency.setMinReplicas(replicas);
    residency.setMaxReplicas(replicas);
    model.getSpec().setResidency(residency);
    return model;
  }

  private static List<Pod> awaitResident(String model, int count) {
    return await(model + " resident on " + count + " workers").atMost(TIMEOUT)
        .until(() -> residency.residentWorkers(model), pods -> pods.size() == count);
  }

  private static HttpResponse<String> run(Pod worker, String model) throws Exception {
    return http.send(HttpRequest.newBuilder(
            URI.create("http://" + worker.getStatus().getPodIP() + ":8080/models/" + model + "/run"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"hello\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
