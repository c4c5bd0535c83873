package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelPhase;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.runtime.LoadedModel;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.NodeAgent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The planner's GPU memory limits on a real control plane: a pool of one 8Gi worker that may not
 * grow, holding a Hot model of 5Gi. A model no worker could hold, and an OnDemand model that would
 * fit only in the Hot model's place, are each told why they have no replica, and neither is loaded
 * anywhere nor disturbs the Hot model.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GpuMemoryIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String POOL = "small";
  private static final String HOT = "resident";

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static NodeAgent kubelet;
  private static PoolResidency residency;
  /** The worker holding the Hot model, as it was once the model was resident. */
  private static Pod hotWorker;

  @RegisterExtension
  static final TestWatcher DUMP_ON_FAILURE = PoolResidency.dumpOnFailure(() -> residency, () -> kubelet);

  @BeforeAll
  static void start(TestCluster testCluster) throws Exception {
    cluster = testCluster;
    admin = cluster.admin();
    residency = new PoolResidency(admin, cluster.namespace(), POOL);
    kubelet = OperatorFixture.prepare(cluster, FakeNode.gpu("memory-gpu-" + cluster.namespace(), 2));
    KilnOperator operator = KilnOperator.start(cluster.clientAs("kiln-operator"),
        new OperatorSettings(Set.of(cluster.namespace()), OperatorFixture.IMAGE));
    cluster.closeAfterClass(operator::stop);

    GpuPool pool = OperatorFixture.gpuPool(cluster.namespace(), POOL, 1, 1);
    pool.getSpec().setGpuMemoryPerWorker(new Quantity("8Gi"));
    admin.resource(pool).create();
    Model hot = OperatorFixture.hotSyntheticModel(cluster.namespace(), HOT, POOL, 1, 1);
    hot.getSpec().setGpuMemory(new Quantity("5Gi"));
    admin.resource(hot).create();
    await(HOT + " Ready").atMost(TIMEOUT).until(() -> residency.model(HOT),
        m -> PoolResidency.condition(m, "Ready").filter(c -> c.getStatus().equals("True")).isPresent());
    hotWorker = residency.residentWorkers(HOT).getFirst();
  }

  @Test
  @Order(1)
  void aModelLargerThanAnyWorkerIsInsufficientGpuMemoryAndLoadedNowhere() throws Exception {
    Model huge = OperatorFixture.hotSyntheticModel(cluster.namespace(), "huge", POOL, 1, 1);
    huge.getSpec().setGpuMemory(new Quantity("16Gi"));
    admin.resource(huge).create();

    Model refused = awaitNotResident("huge", "InsufficientGpuMemory");
    assertThat(PoolResidency.condition(refused, "Resident").orElseThrow().getMessage())
        .contains("one replica needs more GPU memory than a worker of pool " + POOL + " has");
    assertThat(refused.getStatus().getPhase()).isEqualTo(ModelPhase.PENDING);
    assertLoadedNowhere("huge");
    assertHotModelUndisturbed();
  }

  @Test
  @Order(2)
  void anOnDemandModelThatFitsOnlyInTheHotModelsPlaceGetsNoCapacity() throws Exception {
    Model onDemand = OperatorFixture.onDemandSyntheticModel(cluster.namespace(), "on-demand", POOL, 1, 1);
    onDemand.getSpec().setGpuMemory(new Quantity("5Gi"));
    admin.resource(onDemand).create();

    Model refused = awaitNotResident("on-demand", "NoCapacity");
    assertThat(PoolResidency.condition(refused, "Resident").orElseThrow().getMessage())
        .contains("the Ready workers of pool " + POOL + " have no room for more replicas");
    assertThat(refused.getStatus().getPhase()).isEqualTo(ModelPhase.PENDING);
    assertThat(residency.workers()).as("a pool at workers.max does not grow").hasSize(1);
    assertLoadedNowhere("on-demand");
    assertHotModelUndisturbed();
  }

  @Test
  @Order(3)
  void aModelThatTookMoreThanItDeclaredIsCountedAtItsMeasuredSize() throws Exception {
    // Declares 1Gi, so it fits next to the Hot model's 5Gi; its load takes 4Gi, which does not.
    Model understated = OperatorFixture.onDemandSyntheticModel(cluster.namespace(), "understated", POOL, 1, 1);
    understated.getSpec().setOptions(JsonNodeFactory.instance.objectNode().put("memoryBytes", 4L << 30));
    admin.resource(understated).create();

    Model measured = await("understated measured at 4Gi").atMost(TIMEOUT).until(() -> residency.model("understated"),
        m -> m.getStatus() != null && m.getStatus().getMeasuredGpuMemory() != null);
    assertThat(measured.getStatus().getMeasuredGpuMemory()).hasToString("4Gi");
    Model refused = awaitNotResident("understated", "NoCapacity");
    assertThat(refused.getStatus().getResidentReplicas()).isZero();
    assertThat(PoolResidency.resident(admin.resource(hotWorker).get())).doesNotContainKey("understated");
    assertThat(residency.events("understated", ModelEvents.LOADED)).hasSize(1);
    assertHotModelUndisturbed();
  }

  private static Model awaitNotResident(String model, String reason) {
    return await(model + " Resident=False " + reason).atMost(TIMEOUT).until(() -> residency.model(model),
        m -> PoolResidency.condition(m, "Resident")
            .filter(c -> c.getStatus().equals("False") && reason.equals(c.getReason())).isPresent());
  }

  /** Neither annotation of any worker names {@code model}, no runtime holds it and no load was tried. */
  private static void assertLoadedNowhere(String model) throws Exception {
    for (Pod worker : residency.workers()) {
      assertThat(PoolResidency.desired(worker)).doesNotContainKey(model);
      assertThat(PoolResidency.resident(worker)).doesNotContainKey(model);
      assertThat(WorkerAdminClient.withDefaults().list(WorkerAdminClient.worker(worker.getStatus().getPodIP())))
          .extracting(LoadedModel::name).doesNotContain(model);
    }
    assertThat(residency.events(model, ModelEvents.LOADED)).isEmpty();
    assertThat(residency.events(model, ModelEvents.LOAD_FAILED)).isEmpty();
    assertThat(residency.model(model).getStatus().getResidentReplicas()).isZero();
  }

  /** The Hot model is where it was, at the same version, Ready, and was never unloaded. */
  private static void assertHotModelUndisturbed() throws Exception {
    Pod worker = admin.resource(hotWorker).get();
    assertThat(worker.getMetadata().getUid()).isEqualTo(hotWorker.getMetadata().getUid());
    assertThat(PoolResidency.resident(worker)).containsEntry(HOT, PoolResidency.resident(hotWorker).get(HOT));
    assertThat(WorkerAdminClient.withDefaults().list(WorkerAdminClient.worker(worker.getStatus().getPodIP())))
        .extracting(LoadedModel::name).contains(HOT);
    assertThat(residency.events(HOT, ModelEvents.UNLOADED)).isEmpty();
    Model hot = residency.model(HOT);
    assertThat(hot.getStatus().getWorkers()).containsExactly(hotWorker.getMetadata().getName());
    assertThat(PoolResidency.condition(hot, "Ready")).get().extracting(Condition::getStatus).isEqualTo("True");
  }
}
