package dev.kiln.operator.pool;

import static dev.kiln.operator.pool.PoolTestbed.TIMEOUT;
import static dev.kiln.operator.pool.PoolTestbed.uids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The pool controller on a real control plane, running as the {@code kiln-operator} ServiceAccount
 * with the chart's RBAC, against fake GPU nodes whose worker pods run the real runtime.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolReconcilerIT {

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static PoolTestbed testbed;

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
    testbed = PoolTestbed.start(cluster);
    KilnOperator operator = KilnOperator.start(cluster.clientAs("kiln-operator"),
        new OperatorSettings(Set.of(cluster.namespace()), PoolTestbed.IMAGE));
    cluster.closeAfterClass(operator::stop);
  }

  @Test
  @Order(1)
  void poolStartsItsWorkersWithOneGpuEachAndReportsReady() throws Exception {
    admin.resource(testbed.pool("alpha", 1, 2, 1, 4)).create();

    List<Pod> workers = testbed.awaitReadyWorkers("alpha", 3);
    for (Pod worker : workers) {
      assertThat(worker.getSpec().getContainers().getFirst().getResources().getLimits())
          .containsEntry("nvidia.com/gpu", new Quantity("1"));
      assertThat(worker.getMetadata().getLabels())
          .containsEntry(PoolLabels.POOL, "alpha")
          .containsEntry(PoolLabels.WORKER, worker.getMetadata().getName())
          .containsEntry(PoolLabels.MANAGED_BY, "kiln");
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + worker.getStatus().getPodIP() + ":8080/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).isEqualTo("ok");
    }
    GpuPool pool = await("alpha status").atMost(TIMEOUT).until(() -> testbed.gpuPool("alpha"),
        p -> p.getStatus() != null && Integer.valueOf(3).equals(p.getStatus().getReadyWorkers())
            && condition(p, "Ready").map(c -> c.getStatus().equals("True")).orElse(false));
    assertThat(pool.getStatus().getDesiredWorkers()).isEqualTo(3);
    assertThat(pool.getStatus().getCurrentWorkers()).isEqualTo(3);
    assertThat(pool.getStatus().getObservedGeneration()).isEqualTo(pool.getMetadata().getGeneration());
    assertThat(condition(pool, "Scaling")).get().extracting(Condition::getStatus).isEqualTo("False");
    assertThat(condition(pool, "Degraded")).get().extracting(Condition::getStatus).isEqualTo("False");
    assertThat(admin.services().inNamespace(cluster.namespace()).withName("alpha-workers").get().getSpec().getClusterIP())
        .isEqualTo("None");
    assertThat(admin.resources(PodDisruptionBudget.class).inNamespace(cluster.namespace()).withName("alpha-workers").get()
        .getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void aDeletedWorkerIsReplacedAndTheOthersAreLeftAlone() {
    List<String> before = uids(testbed.awaitReadyWorkers("alpha", 3));
    Pod victim = testbed.workerPods("alpha").getFirst();
    admin.resource(victim).delete();

    List<String> after = uids(await("alpha replaced its worker").atMost(TIMEOUT)
        .until(() -> testbed.readyWorkers("alpha"), pods -> pods.size() == 3 && !uids(pods).contains(victim.getMetadata().getUid())));
    assertThat(after).containsAll(before.stream().filter(uid -> !uid.equals(victim.getMetadata().getUid())).toList());
  }

  @Test
  @Order(3)
  void aWorkerNoNodeCanHoldMakesThePoolDegradedWithTheSchedulersMessage() {
    admin.resource(testbed.pool("huge", 5, 1, 0, 1)).create();

    GpuPool pool = await("huge Degraded").atMost(TIMEOUT).until(() -> testbed.gpuPool("huge"),
        p -> condition(p, "Degraded").map(c -> c.getStatus().equals("True")).orElse(false));
    Condition degraded = condition(pool, "Degraded").orElseThrow();
    assertThat(degraded.getReason()).isEqualTo("WorkersUnschedulable");
    assertThat(degraded.getMessage()).contains("Insufficient nvidia.com/gpu");
    assertThat(condition(pool, "Ready")).get().extracting(Condition::getStatus).isEqualTo("False");
    assertThat(testbed.workerPods("huge")).singleElement().satisfies(pod -> assertThat(pod.getStatus().getPhase()).isEqualTo("Pending"));
  }

  @Test
  @Order(4)
  void reconcilingAgainDoesNotReplaceWorkers() {
    List<String> before = uids(testbed.awaitReadyWorkers("alpha", 3));
    GpuPool changed = admin.resources(GpuPool.class).inNamespace(cluster.namespace()).withName("alpha").edit(p -> {
      p.getMetadata().setAnnotations(Map.of("example.com/note", "touched"));
      p.getSpec().setPricePerGpuSecond("0.001");
      return p;
    });

    await("alpha observed generation " + changed.getMetadata().getGeneration()).atMost(TIMEOUT)
        .until(() -> testbed.gpuPool("alpha").getStatus().getObservedGeneration(), changed.getMetadata().getGeneration()::equals);
    assertThat(uids(testbed.workerPods("alpha"))).containsExactlyInAnyOrderElementsOf(before);
  }

  private static Optional<Condition> condition(GpuPool pool, String type) {
    if (pool == null || pool.getStatus() == null || pool.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pool.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }
}
