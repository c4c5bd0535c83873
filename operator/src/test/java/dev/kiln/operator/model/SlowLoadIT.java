package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelPhase;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.pool.WorkerPodTemplate;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.runtime.LoadedModel;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.NodeAgent;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A worker that takes longer to load a model than its liveness probe tolerates failures for is
 * neither restarted nor taken out of service: the probes come from the operator's worker pod
 * template and the node agent runs them against the real runtime all through the load. It runs
 * them more often than the pod asks (every 200 ms), so a runtime failing them would be restarted
 * well within the window.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
class SlowLoadIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String POOL = "loading";
  private static final String MODEL = "large";
  /** How much longer than the liveness window the load takes. */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static NodeAgent kubelet;
  private static PoolResidency residency;

  @RegisterExtension
  static final TestWatcher DUMP_ON_FAILURE = PoolResidency.dumpOnFailure(() -> residency, () -> kubelet);

  @BeforeAll
  static void start(TestCluster testCluster) throws Exception {
    cluster = testCluster;
    admin = cluster.admin();
    residency = new PoolResidency(admin, cluster.namespace(), POOL);
    kubelet = OperatorFixture.prepare(cluster, FakeNode.gpu("slow-gpu-" + cluster.namespace(), 1));
    KilnOperator operator = KilnOperator.start(cluster.clientAs("kiln-operator"),
        new OperatorSettings(Set.of(cluster.namespace()), OperatorFixture.IMAGE));
    cluster.closeAfterClass(operator::stop);
  }

  @Test
  void aLoadLongerThanTheLivenessWindowNeitherRestartsTheWorkerNorMakesItUnready() throws Exception {
    admin.resource(OperatorFixture.gpuPool(cluster.namespace(), POOL, 1, 1)).create();
    Pod worker = await("one Ready worker").atMost(TIMEOUT)
        .until(residency::workers, pods -> pods.size() == 1 && WorkerPods.ready(pods.getFirst())).getFirst();
    Duration livenessWindow = livenessWindow(worker);
    String readySince = readyCondition(worker).getLastTransitionTime();

    var seen = new CopyOnWriteArrayList<Pod>();
    try (Watch ignored = admin.pods().inNamespace(cluster.namespace()).withName(worker.getMetadata().getName())
        .watch(recording(seen))) {
      admin.resource(largeModel(livenessWindow.plus(MARGIN))).create();
      Model loading = await(MODEL + " Loading").atMost(TIMEOUT).until(() -> residency.model(MODEL),
          m -> m.getStatus() != null && m.getStatus().getPhase() == ModelPhase.LOADING
              && PoolResidency.condition(m, "Resident").map(c -> c.getMessage().contains("loading on")).orElse(false));
      assertThat(PoolResidency.condition(loading, "Resident").orElseThrow().getMessage())
          .as("the status names the worker while the load runs").contains(worker.getMetadata().getName());
      assertThat(PoolResidency.resident(admin.resource(worker).get())).doesNotContainKey(MODEL);
      Model ready = await(MODEL + " Ready").atMost(TIMEOUT)
          .failFast("the worker restarted or turned unready during the load",
              () -> seen.stream().anyMatch(SlowLoadIT::disturbed))
          .until(() -> residency.model(MODEL),
              m -> PoolResidency.condition(m, "Ready").map(c -> c.getStatus().equals("True")).orElse(false));
      assertThat(ready.getStatus().getPhase()).isEqualTo(ModelPhase.READY);
      assertThat(ready.getStatus().getWorkers()).containsExactly(worker.getMetadata().getName());
    }

    Pod after = admin.resource(worker).get();
    assertThat(after.getMetadata().getUid()).isEqualTo(worker.getMetadata().getUid());
    assertThat(PoolResidency.resident(after)).containsKey(MODEL);
    List<LoadedModel> loaded = WorkerAdminClient.withDefaults()
        .list(WorkerAdminClient.worker(after.getStatus().getPodIP()));
    assertThat(loaded).singleElement().satisfies(model -> assertThat(Duration.ofMillis(model.loadMillis()))
        .as("the load outlasted the liveness window").isGreaterThan(livenessWindow));
    assertThat(runtimeStatus(after).getRestartCount()).isZero();
    assertThat(readyCondition(after).getLastTransitionTime()).as("Ready never flipped").isEqualTo(readySince);
    assertThat(seen).as("the worker's updates during the load").isNotEmpty().noneMatch(SlowLoadIT::disturbed);
  }

  private static boolean disturbed(Pod worker) {
    return !WorkerPods.ready(worker) || runtimeStatus(worker).getRestartCount() > 0;
  }

  /** How long the runtime may fail its liveness probe before it is restarted, as the worker pod says. */
  private static Duration livenessWindow(Pod worker) {
    Container runtime = worker.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(WorkerPodTemplate.CONTAINER)).findFirst().orElseThrow();
    Probe liveness = runtime.getLivenessProbe();
    assertThat(liveness).as("the worker's liveness probe").isNotNull();
    return Duration.ofSeconds((long) liveness.getPeriodSeconds() * liveness.getFailureThreshold());
  }

  private static Model largeModel(Duration loadTime) {
    Model model = OperatorFixture.hotSyntheticModel(cluster.namespace(), MODEL, POOL, 1, 1);
    model.getSpec().setOptions(JsonNodeFactory.instance.objectNode().put("loadTimeMillis", loadTime.toMillis()));
    return model;
  }

  private static PodCondition readyCondition(Pod pod) {
    return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
  }

  private static ContainerStatus runtimeStatus(Pod pod) {
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> s.getName().equals(WorkerPodTemplate.CONTAINER)).findFirst().orElseThrow();
  }

  private static Watcher<Pod> recording(List<Pod> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        seen.add(pod);
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
