package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelStatus;
import dev.kiln.crds.model.Residency;
import dev.kiln.crds.model.ResidencyPolicy;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.residency.ModelDemand;
import dev.kiln.operator.residency.Move;
import dev.kiln.operator.residency.Plan;
import dev.kiln.operator.residency.PlanInput;
import dev.kiln.operator.residency.ResidencyPlanner;
import dev.kiln.operator.residency.WorkerState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PoolPlanInputTest {

  @Test
  void workersCarryThePoolsMemoryTheirReadinessAndTheirResidentModels() {
    GpuPool pool = new GpuPool();
    pool.getSpec().setGpuMemoryPerWorker(new Quantity("16Gi"));
    Pod ready = pod("w-a", "True", "echo=abc,gone=def");
    Pod starting = pod("w-b", "False", null);
    Pod deleted = pod("w-c", "True", null);
    deleted.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");

    PlanInput input = PoolPlanInput.of(pool, List.of(ready, starting, deleted), List.of(model("echo", "2Gi", ResidencyPolicy.HOT, 2, 3)), Map.of(), Set.of());

    assertThat(input.poolWorkerGpuMemoryBytes()).isEqualTo(16L << 30);
    assertThat(input.workers()).containsExactly(
        new WorkerState("w-a", 16L << 30, true, false, Map.of("echo", 2L << 30, "gone", 0L)),
        new WorkerState("w-b", 16L << 30, false, false, Map.of()));
    assertThat(input.models()).containsExactly(new ModelDemand("echo", 2L << 30, ModelDemand.Policy.HOT, 2, 3, 2, false));
  }

  @Test
  void aModelMeasuredLargerThanItDeclaredCountsAtItsMeasuredSizeOnItsWorkersAndInItsDemand() {
    Model model = model("echo", "2Gi", ResidencyPolicy.HOT, 1, 1);
    model.setStatus(new ModelStatus());
    model.getStatus().setMeasuredGpuMemory(new Quantity("6Gi"));

    PlanInput input = PoolPlanInput.of(new GpuPool(), List.of(pod("w-a", "True", "echo=abc")), List.of(model), Map.of(),
        Set.of());

    assertThat(input.workers().getFirst().residentModels()).containsEntry("echo", 6L << 30);
    assertThat(input.models().getFirst().memoryBytes()).isEqualTo(6L << 30);
  }

  @Test
  void aLoadStartedOnAReadyWorkerHoldsItsPlaceThereButNotOnAWorkerThatStoppedBeingReady() {
    GpuPool pool = new GpuPool();
    pool.getSpec().setGpuMemoryPerWorker(new Quantity("16Gi"));
    Pod loading = pod("w-a", "True", "echo=abc");
    loading.getMetadata().getAnnotations().put(ResidencyAnnotations.DESIRED, "echo=abc,big=def");
    Pod crashed = pod("w-b", "False", null);
    crashed.getMetadata().getAnnotations().put(ResidencyAnnotations.DESIRED, "big=def");
    var models = List.of(model("echo", "2Gi", ResidencyPolicy.HOT, 1, 1), model("big", "8Gi", ResidencyPolicy.HOT, 1, 1));

    PlanInput input = PoolPlanInput.of(pool, List.of(loading, crashed), models, Map.of(), Set.of());

    assertThat(input.workers()).extracting(WorkerState::residentModels)
        .containsExactly(Map.of("echo", 2L << 30, "big", 8L << 30), Map.of());
  }

  @Test
  void placementsLoadingWhileOtherModelsArriveStayWhereTheyWere() {
    GpuPool pool = new GpuPool();
    pool.getSpec().setGpuMemoryPerWorker(new Quantity("16Gi"));
    List<Model> first = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(model("m" + i, "6Gi", ResidencyPolicy.HOT, 1, 1));
    }
    List<Pod> workers = List.of(pod("w-a", "True", null), pod("w-b", "True", null), pod("w-c", "True", null));
    Plan plan = ResidencyPlanner.plan(PoolPlanInput.of(pool, workers, first, Map.of(), Set.of()));
    // The operator desires each placement on its worker as its load starts; none is resident yet.
    for (Pod worker : workers) {
      String desired = ResidencyAnnotations.format(plan.placement().get(worker.getMetadata().getName()).stream()
          .collect(Collectors.toMap(name -> name, name -> "v1")));
      if (desired != null) {
        worker.getMetadata().getAnnotations().put(ResidencyAnnotations.DESIRED, desired);
      }
    }
    List<Model> more = new java.util.ArrayList<>(first);
    for (int i = 4; i < 7; i++) {
      more.add(model("m" + i, "8Gi", ResidencyPolicy.HOT, 1, 1));
    }

    Plan replanned = ResidencyPlanner.plan(PoolPlanInput.of(pool, workers, more, Map.of(), Set.of()));

    assertThat(replanned.moves()).noneMatch(move -> move.action() == Move.Action.UNLOAD);
    plan.placement().forEach((worker, models) -> assertThat(replanned.placement().get(worker)).containsAll(models));
  }

  @Test
  void aWorkerMarkedForRemovalIsDraining() {
    Pod marked = pod("w-a", "True", "echo=abc");
    marked.getMetadata().getAnnotations().put(WorkerPods.DRAINING, "2026-01-01T00:00:00Z");

    PlanInput input = PoolPlanInput.of(new GpuPool(), List.of(marked, pod("w-b", "True", null)), List.of(), Map.of(), Set.of());

    assertThat(input.workers()).extracting(WorkerState::draining).containsExactly(true, false);
  }

  @Test
  void anOnDemandModelInUseKeepsOneReplicaAndAnIdleOneAsksForNone() {
    var models = List.of(model("used", null, ResidencyPolicy.ON_DEMAND, 0, 2), model("idle", null, ResidencyPolicy.ON_DEMAND, 1, 2));

    PlanInput input = PoolPlanInput.of(new GpuPool(), List.of(), models, Map.of(), Set.of("idle"));

    assertThat(input.models()).containsExactly(
        new ModelDemand("used", 0, ModelDemand.Policy.ON_DEMAND, 1, 2, 1, false),
        new ModelDemand("idle", 0, ModelDemand.Policy.ON_DEMAND, 0, 2, 0, true));
    assertThat(input.models()).extracting(ModelDemand::targetReplicas).containsExactly(1, 0);
  }

  @Test
  void aPoolWithoutGpuMemoryIsUnboundedAndDefaultsApply() {
    Model model = model("m", null, null, null, null);
    model.getSpec().setResidency(null);

    PlanInput input = PoolPlanInput.of(new GpuPool(), List.of(pod("w-a", "True", null)), List.of(model), Map.of(), Set.of());

    assertThat(input.workers().getFirst().gpuMemoryBytes()).isEqualTo(PoolPlanInput.UNBOUNDED_MEMORY_BYTES);
    assertThat(input.models()).containsExactly(new ModelDemand("m", 0, ModelDemand.Policy.ON_DEMAND, 1, 1, 1, false));
  }

  @Test
  void eachModelAsksForTheAutoscalersReplicasOnceDecided() {
    var models = List.of(model("decided", null, ResidencyPolicy.HOT, 1, 3), model("new", null, ResidencyPolicy.HOT, 2, 3));

    PlanInput input = PoolPlanInput.of(new GpuPool(), List.of(), models, Map.of("decided", 3), Set.of());

    assertThat(input.models()).extracting(ModelDemand::desiredReplicas).containsExactly(3, 2);
  }

  private static Pod pod(String name, String ready, String resident) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withAnnotations(new HashMap<>()).endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus();
    if (resident != null) {
      pod.editMetadata().addToAnnotations(ResidencyAnnotations.RESIDENT, resident).endMetadata();
    }
    return pod.build();
  }

  private static Model model(String name, String memory, ResidencyPolicy policy, Integer min, Integer max) {
    Model model = new Model();
    model.getMetadata().setName(name);
    if (memory != null) {
      model.getSpec().setGpuMemory(new Quantity(memory));
    }
    Residency residency = new Residency();
    residency.setPolicy(policy);
    residency.setMinReplicas(min);
    residency.setMaxReplicas(max);
    model.getSpec().setResidency(residency);
    return model;
  }
}
