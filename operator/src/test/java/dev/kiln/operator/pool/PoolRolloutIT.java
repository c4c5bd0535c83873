package dev.kiln.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.RolloutStrategy;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.status.ConditionReason;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.crds.worker.WorkerPodMetadata;
import dev.kiln.gateway.Gateway;
import dev.kiln.operator.GatewayFixture;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.RunLoad;
import dev.kiln.operator.ServingSampler;
import dev.kiln.operator.scaling.ScalingSettings;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling a pool's workers to a new template on a real control plane, with real runtimes and a real gateway in
 * front: under a steady load of synchronous runs, no request fails and the Hot model never has fewer than its
 * {@code minReplicas} workers serving it; a template whose workers never become Ready stops the rollout after the
 * first new worker, and reverting it finishes; a paused pool rolls nothing until unpaused.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolRolloutIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final String POOL = "roll";
  private static final String MODEL = "steady";
  private static final int REPLICAS = 2;
  private static final String GATEWAY_IP = "127.0.85.1";
  /** An image the node agent has no command for: its workers fail to pull it and never become Ready. */
  private static final String BROKEN_IMAGE = "ghcr.io/kiln-dev/kiln-runtime:broken";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static PoolTestbed testbed;
  private static Gateway gateway;
  private static String key;

  @TempDir
  static Path work;

  @RegisterExtension
  static final TestWatcher DUMP_ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      testbed.dump();
    }
  };

  @BeforeAll
  static void start(TestCluster testCluster) throws Exception {
    cluster = testCluster;
    admin = cluster.admin();
    String namespace = cluster.namespace();
    testbed = PoolTestbed.start(cluster);
    KilnOperator operator = KilnOperator.start(cluster.clientAs("kiln-operator"), new OperatorSettings(Set.of(namespace),
        OperatorFixture.IMAGE, 0, Optional.empty(), ScalingSettings.defaults(),
        new DrainSettings(Duration.ofSeconds(10), Duration.ofMillis(200))));
    cluster.closeAfterClass(operator::stop);
    gateway = GatewayFixture.start(cluster, GATEWAY_IP, work);
    key = GatewayFixture.unlimitedApiKey(admin, namespace);

    GpuPool pool = OperatorFixture.gpuPool(namespace, POOL, REPLICAS, 4);
    RolloutStrategy rollout = new RolloutStrategy();
    rollout.setProgressDeadline("60s");
    pool.getSpec().setRollout(rollout);
    admin.resource(pool).create();
    Model model = OperatorFixture.hotSyntheticModel(namespace, MODEL, POOL, REPLICAS, REPLICAS);
    model.getSpec().setOptions(JSON.createObjectNode().put("serviceTimeMillis", 20));
    admin.resource(model).create();
    await("the model served by " + REPLICAS + " workers").atMost(TIMEOUT).until(() -> serving().size() == REPLICAS);
    await("the gateway runs it").atMost(TIMEOUT).until(() -> run().statusCode() == 200);
  }

  @Test
  @Order(1)
  void aNewImageRollsEveryWorkerWithNoFailedRequestAndTheModelNeverBelowItsReplicas() throws Exception {
    List<String> before = uids(workers());
    RunLoad load;
    try (RunLoad running = RunLoad.start(4, PoolRolloutIT::run); ServingSampler sampler = ServingSampler.start(() -> serving().size())) {
      load = running;
      await("load is running").atMost(TIMEOUT).until(() -> running.completed() >= 50);
      edit(pool -> {
        pool.getSpec().setRuntimeImage(OperatorFixture.NEXT_IMAGE);
        return pool;
      });
      await("every worker runs the new image").atMost(TIMEOUT).until(() -> rolledOut(OperatorFixture.NEXT_IMAGE));
      int afterRollout = running.completed();
      await("requests keep running").atMost(TIMEOUT).until(() -> running.completed() >= afterRollout + 50);
      running.stop();
      System.out.printf("rollout under load: %d runs, %d failed; %d samples of the workers serving %s, fewest %d%n",
          running.completed(), running.failures().size(), sampler.samples(), MODEL, sampler.fewest());
      assertThat(sampler.fewest()).as("workers serving the Hot model, sampled every 100 ms")
          .isGreaterThanOrEqualTo(REPLICAS);
    }
    assertThat(load.failures()).as("failed runs").isEmpty();
    assertThat(uids(workers())).doesNotContainAnyElementsOf(before);
    assertThat(events(PoolEvents.WORKER_CREATED)).hasSizeGreaterThanOrEqualTo(REPLICAS);
    assertThat(events(PoolEvents.WORKER_DRAINING)).extracting(Event::getMessage)
        .anyMatch(message -> message.contains("has an old template"));
    assertThat(events(ConditionReason.ROLLING_OUT.reason())).isNotEmpty();
    assertThat(events(ConditionReason.ROLLED_OUT.reason())).isNotEmpty();
  }

  @Test
  @Order(2)
  void anImageThatNeverBecomesReadyStopsAfterTheFirstNewWorkerAndRevertingFinishes() {
    List<String> serving = uids(workers());
    edit(pool -> {
      pool.getSpec().getRollout().setProgressDeadline("5s");
      pool.getSpec().setRuntimeImage(BROKEN_IMAGE);
      return pool;
    });

    Condition stuck = await("the rollout says it is stuck").atMost(TIMEOUT).until(() -> progressing(),
        condition -> condition.getReason().equals(ConditionReason.PROGRESS_DEADLINE_EXCEEDED.reason()));
    assertThat(stuck.getStatus()).isEqualTo("False");
    assertThat(stuck.getMessage()).contains("ErrImagePull", "the old workers keep serving");
    await("nothing more is started or drained").during(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> {
      List<Pod> workers = workers();
      return workers.size() == REPLICAS + 1 && uids(serving()).containsAll(serving);
    });
    assertThat(events(ConditionReason.PROGRESS_DEADLINE_EXCEEDED.reason())).singleElement()
        .satisfies(event -> assertThat(event.getType()).isEqualTo("Warning"));

    edit(pool -> {
      pool.getSpec().setRuntimeImage(OperatorFixture.NEXT_IMAGE);
      return pool;
    });
    await("reverted: the new worker goes, the old ones stay").atMost(TIMEOUT)
        .until(() -> rolledOut(OperatorFixture.NEXT_IMAGE) && uids(workers()).equals(serving));
  }

  @Test
  @Order(3)
  void aPausedPoolRollsNothingUntilUnpaused() {
    List<String> serving = uids(workers());
    edit(pool -> {
      pool.getSpec().setPaused(true);
      pool.getSpec().setRuntimeImage(OperatorFixture.IMAGE);
      return pool;
    });

    await("the rollout says it is paused").atMost(TIMEOUT).until(() -> progressing().getReason()
        .equals(ConditionReason.ROLLOUT_PAUSED.reason()));
    await("no worker is replaced").during(Duration.ofSeconds(3)).atMost(TIMEOUT)
        .until(() -> uids(workers()).equals(serving));

    edit(pool -> {
      pool.getSpec().setPaused(false);
      return pool;
    });
    await("unpaused, the rollout finishes").atMost(TIMEOUT).until(() -> rolledOut(OperatorFixture.IMAGE));
    assertThat(uids(workers())).doesNotContainAnyElementsOf(serving);
  }

  /** Whether every worker runs {@code image}, the pool says it is rolled out, and the model is served as before. */
  private static boolean rolledOut(String image) {
    List<Pod> workers = workers();
    GpuPool pool = pool();
    return workers.size() == REPLICAS
        && workers.stream().allMatch(pod -> pod.getSpec().getContainers().getFirst().getImage().equals(image))
        && Objects.equals(pool.getStatus().getUpdatedWorkers(), REPLICAS)
        && progressing().getReason().equals(ConditionReason.ROLLED_OUT.reason())
        && serving().size() == REPLICAS;
  }

  private static GpuPool pool() {
    return admin.resources(GpuPool.class).inNamespace(cluster.namespace()).withName(POOL).get();
  }

  private static void edit(UnaryOperator<GpuPool> change) {
    admin.resources(GpuPool.class).inNamespace(cluster.namespace()).withName(POOL).edit(change);
  }

  private static Condition progressing() {
    GpuPool pool = pool();
    return pool.getStatus() == null || pool.getStatus().getConditions() == null ? new Condition()
        : pool.getStatus().getConditions().stream().filter(c -> c.getType().equals("Progressing")).findFirst()
            .orElse(new Condition());
  }

  /** The pool's live worker pods. */
  private static List<Pod> workers() {
    return admin.pods().inNamespace(cluster.namespace()).withLabel(PoolLabels.POOL, POOL).list().getItems().stream()
        .filter(WorkerPods::live)
        .toList();
  }

  /**
   * The workers the gateway routes the model to: live and Ready, their runtime not asked to drain, holding the version
   * the model's status names.
   */
  private static List<Pod> serving() {
    Model model = admin.resources(Model.class).inNamespace(cluster.namespace()).withName(MODEL).get();
    String version = model == null || model.getStatus() == null ? null : model.getStatus().getVersion();
    return workers().stream()
        .filter(WorkerPods::ready)
        .filter(pod -> pod.getMetadata().getAnnotations() == null
            || !pod.getMetadata().getAnnotations().containsKey(WorkerPodMetadata.DRAIN_REQUESTED))
        .filter(pod -> version != null && version.equals(ResidencyAnnotations.read(pod.getMetadata().getAnnotations(),
            ResidencyAnnotations.RESIDENT).get(MODEL)))
        .toList();
  }

  private static List<String> uids(List<Pod> pods) {
    return pods.stream().map(pod -> pod.getMetadata().getUid()).sorted().toList();
  }

  private static List<Event> events(String reason) {
    return admin.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .filter(event -> "GpuPool".equals(event.getInvolvedObject().getKind())
            && POOL.equals(event.getInvolvedObject().getName()) && reason.equals(event.getReason()))
        .toList();
  }

  private static HttpResponse<String> run() throws Exception {
    return GatewayFixture.run(gateway, GATEWAY_IP, cluster.namespace(), MODEL, key);
  }
}
