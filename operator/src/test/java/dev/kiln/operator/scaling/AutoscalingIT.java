package dev.kiln.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.model.ModelReconciler;
import dev.kiln.operator.pool.GpuPoolReconciler;
import dev.kiln.operator.pool.PoolLabels;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.FakeNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flow 3 on a real control plane: a model's replicas and its pool's workers follow its load, read
 * from the runtimes' {@code /stats}. Clients keep four requests of a synthetic model that takes
 * 200 ms running at its first worker; the windows and delays are short so that the scale-down
 * comes within seconds of the load stopping. The pool keeps its surplus workers for its
 * {@code scaleDownDelay}, saying so in its Scaling condition, and drains them only after it.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
class AutoscalingIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String POOL = "elastic";
  private static final String MODEL = "slow";
  private static final ScalingSettings FAST = new ScalingSettings(
      Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(2), Duration.ofSeconds(3), 2.0);

  private static final int CLIENTS = 4;
  /** The pool's scaleDownDelay: its surplus workers stay this long after the model needs fewer replicas. */
  private static final Duration POOL_SCALE_DOWN_DELAY = Duration.ofSeconds(5);

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start(TestCluster testCluster) throws Exception {
    cluster = testCluster;
    admin = cluster.admin();
    String suffix = cluster.namespace();
    OperatorFixture.prepare(cluster, FakeNode.gpu("scale-gpu-a-" + suffix, 2), FakeNode.gpu("scale-gpu-b-" + suffix, 2));
    Operator operator = new Operator(o -> o.withKubernetesClient(cluster.clientAs("kiln-operator")).withCloseClientOnStop(false));
    operator.register(new GpuPoolReconciler(OperatorFixture.IMAGE), c -> c.settingNamespaces(cluster.namespace()));
    var signals = new WorkerStatsSignals(new WorkerAdminClient(Duration.ofSeconds(1), Duration.ofSeconds(1)));
    operator.register(new ModelReconciler(new PoolAutoscaler(FAST, signals), new SimpleMeterRegistry()),
        c -> c.settingNamespaces(cluster.namespace()));
    operator.start();
    cluster.closeAfterClass(operator::stop);
  }

  @Test
  void replicasAndWorkersGrowWithTheLoadAndShrinkBackAfterTheDelay() throws Exception {
    admin.resource(pool()).create();
    admin.resource(model()).create();
    Pod first = await("one replica at rest").atMost(TIMEOUT).until(AutoscalingIT::residentWorkers, pods -> pods.size() == 1).getFirst();
    URI run = URI.create("http://" + first.getStatus().getPodIP() + ":" + WorkerAdminClient.PORT + "/models/" + MODEL + "/run");

    var loading = new AtomicBoolean(true);
    var loadedWorkers = new HashSet<String>();
    var served = new AtomicLong();
    var requests = new ArrayList<Future<?>>();
    try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CLIENTS; i++) {
        requests.add(clients.submit(() -> {
          while (loading.get()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(run)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            served.incrementAndGet();
          }
          return null;
        }));
      }
      await("three replicas under load").atMost(TIMEOUT).until(() -> residentWorkers().size() == 3);
      Model loaded = admin.resources(Model.class).inNamespace(cluster.namespace()).withName(MODEL).get();
      assertThat(loaded.getStatus().getDesiredReplicas()).isEqualTo(3);
      assertThat(Double.parseDouble(loaded.getStatus().getRequestRate())).isPositive();
      assertThat(poolWorkers()).hasSize(3);
      loadedWorkers.addAll(poolWorkers().stream().map(pod -> pod.getMetadata().getName()).toList());
      loading.set(false);
    }
    for (Future<?> client : requests) {
      client.get();
    }
    assertThat(served.get()).isPositive();

    Instant idleSince = Instant.now();
    GpuPool pending = await("the pool's surplus waiting out its scaleDownDelay").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
        .until(() -> admin.resources(GpuPool.class).inNamespace(cluster.namespace()).withName(POOL).get(),
            pool -> scaling(pool).map(c -> c.getReason().equals("ScaleDownPending")).orElse(false));
    Condition scaleDownPending = scaling(pending).orElseThrow();
    Instant delayEnds = Instant.parse(scaleDownPending.getLastTransitionTime()).plus(POOL_SCALE_DOWN_DELAY);
    int surplus = pending.getStatus().getCurrentWorkers() - pending.getStatus().getDesiredWorkers();
    assertThat(pending.getStatus().getCurrentWorkers()).as("the surplus workers stay while the delay runs").isEqualTo(3);
    assertThat(scaleDownPending.getMessage()).isEqualTo(
        (surplus == 1 ? "1 surplus worker" : surplus + " surplus workers") + ", removed at " + delayEnds + " unless demand returns");

    var fewestServing = new AtomicInteger(Integer.MAX_VALUE);
    await("back to one replica on one worker").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      List<Pod> workers = poolWorkers();
      List<Pod> resident = residentWorkers();
      fewestServing.accumulateAndGet((int) resident.stream().filter(pod -> !WorkerPods.draining(pod)).count(), Math::min);
      return resident.size() == 1 && workers.size() == 1;
    });
    assertThat(fewestServing.get()).as("Hot replicas resident and ready during the scale-down").isGreaterThanOrEqualTo(1);
    // The Events stay, where a draining annotation may come and go between two polls.
    Set<String> removed = new HashSet<>(loadedWorkers);
    removed.removeAll(poolWorkers().stream().map(pod -> pod.getMetadata().getName()).toList());
    assertThat(removed).hasSize(2);
    List<Event> drainingEvents = poolEvents("WorkerDraining");
    List<String> draining = drainingEvents.stream().map(Event::getMessage).toList();
    assertThat(removed).as("workers marked draining before they went: %s", draining)
        .allSatisfy(name -> assertThat(draining).anyMatch(message -> message.contains("worker " + name + " ")));
    assertThat(drainingEvents).as("no worker drained before the pool's scaleDownDelay ran out at %s", delayEnds)
        .allSatisfy(event -> assertThat(Instant.parse(event.getFirstTimestamp())).isAfterOrEqualTo(delayEnds));
    assertThat(poolEventReasons()).contains("WorkerRemoved");
    assertThat(Duration.between(idleSince, Instant.now())).isGreaterThanOrEqualTo(FAST.scaleDownDelay());
    Model idle = admin.resources(Model.class).inNamespace(cluster.namespace()).withName(MODEL).get();
    assertThat(idle.getStatus().getDesiredReplicas()).isEqualTo(1);
    assertThat(idle.getStatus().getScalingReason()).matches("(scaling down from 3 to 1|steady at 1): concurrency 0.00 .*");
    assertThat(eventMessages("ScaledUp")).anyMatch(message -> message.matches("desired replicas 1 → [23]: scaling up .*"));
    assertThat(eventMessages("ScaledDown")).anyMatch(message -> message.matches("desired replicas [23] → 1: scaling down .*"));
  }

  private static List<String> eventMessages(String reason) {
    return admin.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .filter(e -> MODEL.equals(e.getInvolvedObject().getName()) && "Model".equals(e.getInvolvedObject().getKind()))
        .filter(e -> reason.equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
  }

  private static List<Event> poolEvents(String reason) {
    return admin.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .filter(e -> POOL.equals(e.getInvolvedObject().getName()) && "GpuPool".equals(e.getInvolvedObject().getKind()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static Optional<Condition> scaling(GpuPool pool) {
    if (pool == null || pool.getStatus() == null || pool.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pool.getStatus().getConditions().stream().filter(c -> c.getType().equals("Scaling")).findFirst();
  }

  private static List<String> poolEventReasons() {
    return admin.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .filter(e -> POOL.equals(e.getInvolvedObject().getName()) && "GpuPool".equals(e.getInvolvedObject().getKind()))
        .map(Event::getReason)
        .toList();
  }

  private static GpuPool pool() {
    GpuPool pool = OperatorFixture.gpuPool(cluster.namespace(), POOL, 1, 3);
    pool.getSpec().setScaleDownDelay(POOL_SCALE_DOWN_DELAY.toSeconds() + "s");
    return pool;
  }

  private static Model model() {
    Model model = OperatorFixture.hotSyntheticModel(cluster.namespace(), MODEL, POOL, 1, 3);
    model.getSpec().setTargetConcurrency(1);
    model.getSpec().setOptions(JsonNodeFactory.instance.objectNode().put("serviceTimeMillis", 200));
    return model;
  }

  private static List<Pod> poolWorkers() {
    return admin.pods().inNamespace(cluster.namespace()).withLabel(PoolLabels.POOL, POOL).list().getItems().stream()
        .filter(WorkerPods::live)
        .toList();
  }

  /** Live, Ready workers whose {@code resident-models} holds the model. */
  private static List<Pod> residentWorkers() {
    return poolWorkers().stream()
        .filter(WorkerPods::ready)
        .filter(pod -> ResidencyAnnotations.read(pod.getMetadata().getAnnotations(), ResidencyAnnotations.RESIDENT).containsKey(MODEL))
        .toList();
  }
}
