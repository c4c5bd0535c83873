package dev.kiln.operator.residency;

import static dev.kiln.operator.residency.PlanFixtures.GIB;
import static dev.kiln.operator.residency.PlanFixtures.emptyWorker;
import static dev.kiln.operator.residency.PlanFixtures.hot;
import static dev.kiln.operator.residency.PlanFixtures.idle;
import static dev.kiln.operator.residency.PlanFixtures.input;
import static dev.kiln.operator.residency.PlanFixtures.onDemand;
import static dev.kiln.operator.residency.PlanFixtures.worker;
import static dev.kiln.operator.residency.PlanFixtures.workersHolding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.operator.residency.Move.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResidencyPlannerTest {

  @Test
  void aHotModelTooBigForAnyWorkerIsInsufficientGpuMemory() {
    Plan plan = ResidencyPlanner.plan(input(24, List.of(emptyWorker("a", 24)), List.of(hot("llm", 40, 1, 1, 1))));

    assertThat(plan.outcomes().get("llm").placedReplicas()).isZero();
    assertThat(plan.outcomes().get("llm").shortfall()).contains(ShortfallReason.INSUFFICIENT_GPU_MEMORY);
    assertThat(plan.additionalWorkersNeeded()).as("a bigger pool is needed, not more workers").isZero();
  }

  @Test
  void aModelThatWouldFitAnEmptyWorkerIsShortOfCapacityAndAsksForWorkers() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(emptyWorker("a", 16)),
        List.of(hot("upscaler", 10, 1, 1, 1), hot("segmenter", 10, 1, 1, 1))));

    assertThat(plan.outcomes().get("segmenter").shortfall()).as("equal sizes: first by name").isEmpty();
    assertThat(plan.outcomes().get("upscaler").shortfall()).contains(ShortfallReason.NO_CAPACITY);
    assertThat(plan.additionalWorkersNeeded()).isEqualTo(1);
  }

  @Test
  void spreadsReplicasOverTheLeastLoadedWorkers() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(worker("a", 16, Map.of("other", 8L)), worker("b", 16, Map.of("other", 4L)), emptyWorker("c", 16)),
        List.of(hot("other", 4, 1, 3, 1), onDemand("embedder", 2, 2, 2))));

    assertThat(workersHolding(plan, "embedder")).containsExactly("b", "c");
  }

  @Test
  void keepsAResidentReplicaRatherThanMovingItToAnEmptierWorker() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(worker("busy", 16, Map.of("embedder", 2L, "upscaler", 10L)), emptyWorker("idle", 16)),
        List.of(onDemand("embedder", 2, 1, 1), hot("upscaler", 10, 1, 1, 1))));

    assertThat(workersHolding(plan, "embedder")).containsExactly("busy");
    assertThat(plan.moves()).isEmpty();
  }

  @Test
  void aHotModelDisplacesAnOnDemandReplicaWhichMovesWhereThereIsRoom() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(worker("a", 16, Map.of("embedder", 8L)), worker("b", 16, Map.of("upscaler", 10L))),
        List.of(onDemand("embedder", 8, 1, 1), hot("upscaler", 10, 2, 2, 2))));

    assertThat(workersHolding(plan, "upscaler")).containsExactly("a", "b");
    assertThat(plan.outcomes().get("embedder").shortfall()).contains(ShortfallReason.NO_CAPACITY);
    assertThat(plan.moves()).containsExactly(
        new Move(Action.UNLOAD, "a", "embedder"), new Move(Action.LOAD, "a", "upscaler"));
  }

  @Test
  void displacesTheFewestOnDemandReplicasLargestFirst() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(
            worker("a", 16, Map.of("small", 2L, "medium", 4L, "large", 8L)),
            worker("b", 16, Map.of("w", 3L, "x", 3L, "y", 3L, "z", 3L))),
        List.of(
            onDemand("small", 2, 1, 1), onDemand("medium", 4, 1, 1), onDemand("large", 8, 1, 1),
            onDemand("w", 3, 1, 1), onDemand("x", 3, 1, 1), onDemand("y", 3, 1, 1), onDemand("z", 3, 1, 1),
            hot("upscaler", 10, 1, 1, 1))));

    assertThat(plan.moves()).containsExactly(
        new Move(Action.UNLOAD, "a", "large"), new Move(Action.LOAD, "a", "upscaler"));
  }

  @Test
  void aDisplacedReplicaFallsBackOnAWorkerThatStillHoldsIt() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(
            worker("a", 16, Map.of("embedder", 4L)),
            worker("b", 16, Map.of("embedder", 4L, "chat", 8L)),
            worker("c", 16, Map.of("filler", 6L))),
        List.of(
            onDemand("embedder", 4, 1, 1), onDemand("chat", 8, 1, 1), onDemand("filler", 6, 1, 1),
            hot("upscaler", 14, 1, 1, 1))));

    assertThat(workersHolding(plan, "embedder")).as("kept where it is, not loaded on emptier c").containsExactly("b");
    assertThat(plan.moves()).containsExactly(
        new Move(Action.UNLOAD, "a", "embedder"), new Move(Action.LOAD, "a", "upscaler"));
  }

  @Test
  void anOnDemandModelNeverEvictsAHotReplica() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(worker("a", 16, Map.of("upscaler", 10L))),
        List.of(hot("upscaler", 10, 1, 1, 1), onDemand("embedder", 8, 1, 1))));

    assertThat(workersHolding(plan, "upscaler")).containsExactly("a");
    assertThat(plan.outcomes().get("embedder").shortfall()).contains(ShortfallReason.NO_CAPACITY);
    assertThat(plan.moves()).isEmpty();
  }

  @Test
  void unloadsAnIdleOnDemandModel() {
    Plan plan = ResidencyPlanner.plan(
        input(16, List.of(worker("a", 16, Map.of("embedder", 2L))), List.of(idle("embedder", 2))));

    assertThat(plan.outcomes().get("embedder").targetReplicas()).isZero();
    assertThat(plan.moves()).containsExactly(new Move(Action.UNLOAD, "a", "embedder"));
  }

  @Test
  void unloadsModelsThatNoLongerExist() {
    Plan plan = ResidencyPlanner.plan(input(16, List.of(worker("a", 16, Map.of("deleted", 2L))), List.of()));

    assertThat(plan.moves()).containsExactly(new Move(Action.UNLOAD, "a", "deleted"));
  }

  @Test
  void movesTheModelsOfADrainingWorkerElsewhere() {
    var draining = new WorkerState("old", 16 * GIB, true, true, Map.of("upscaler", 10 * GIB));
    Plan plan = ResidencyPlanner.plan(
        input(16, List.of(draining, emptyWorker("new", 16)), List.of(hot("upscaler", 10, 1, 1, 1))));

    assertThat(plan.placement().get("old")).isEmpty();
    assertThat(plan.moves()).containsExactly(
        new Move(Action.UNLOAD, "old", "upscaler"), new Move(Action.LOAD, "new", "upscaler"));
  }

  @Test
  void aNotReadyWorkerKeepsWhatItHoldsButGetsNothingNew() {
    var starting = new WorkerState("starting", 16 * GIB, false, false, Map.of("upscaler", 10 * GIB));
    Plan plan = ResidencyPlanner.plan(
        input(16, List.of(starting), List.of(hot("upscaler", 10, 1, 1, 1), onDemand("embedder", 2, 1, 1))));

    assertThat(plan.placement().get("starting")).containsExactly("upscaler");
    assertThat(plan.outcomes().get("embedder").shortfall()).contains(ShortfallReason.NO_CAPACITY);
  }

  @Test
  void countsTheMeasuredMemoryWhenItExceedsTheDeclared() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(worker("a", 16, Map.of("upscaler", 12L))),
        List.of(hot("upscaler", 8, 1, 1, 1), onDemand("embedder", 6, 1, 1))));

    assertThat(plan.outcomes().get("upscaler").memoryBytes()).isEqualTo(12 * GIB);
    assertThat(plan.outcomes().get("embedder").shortfall()).contains(ShortfallReason.NO_CAPACITY);
  }

  @Test
  void aWorkerWhoseModelsGrewPastItsMemoryShedsAnOnDemandModel() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(worker("a", 16, Map.of("upscaler", 10L, "embedder", 8L))),
        List.of(hot("upscaler", 8, 1, 1, 1), onDemand("embedder", 6, 1, 1))));

    assertThat(plan.moves()).containsExactly(new Move(Action.UNLOAD, "a", "embedder"));
  }

  @Test
  void dropsSurplusReplicasFromTheFullestWorkers() {
    Plan plan = ResidencyPlanner.plan(input(16,
        List.of(
            worker("a", 16, Map.of("embedder", 2L, "upscaler", 10L)),
            worker("b", 16, Map.of("embedder", 2L)),
            worker("c", 16, Map.of("embedder", 2L, "segmenter", 4L))),
        List.of(onDemand("embedder", 2, 3, 2), hot("upscaler", 10, 1, 1, 1), hot("segmenter", 4, 1, 1, 1))));

    assertThat(workersHolding(plan, "embedder")).containsExactly("b", "c");
    assertThat(plan.moves()).containsExactly(new Move(Action.UNLOAD, "a", "embedder"));
  }

  @Test
  void clampsDemandIntoTheReplicaBounds() {
    assertThat(hot("m", 1, 2, 3, 0).targetReplicas()).isEqualTo(2);
    assertThat(hot("m", 1, 2, 3, 9).targetReplicas()).isEqualTo(3);
    assertThat(onDemand("m", 1, 3, 9).targetReplicas()).isEqualTo(3);
    assertThat(idle("m", 1).targetReplicas()).isZero();
  }

  @Test
  void shortfallsReadAsConditionReasons() {
    assertThat(ShortfallReason.INSUFFICIENT_GPU_MEMORY.conditionReason()).isEqualTo("InsufficientGpuMemory");
    assertThat(ShortfallReason.NO_CAPACITY.conditionReason()).isEqualTo("NoCapacity");
  }
}
