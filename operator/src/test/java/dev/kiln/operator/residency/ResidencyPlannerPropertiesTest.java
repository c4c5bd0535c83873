package dev.kiln.operator.residency;

import static dev.kiln.operator.residency.PlanFixtures.effectiveMemory;
import static dev.kiln.operator.residency.PlanFixtures.workersHolding;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's invariants, each checked on {@link RandomPlanInputs#CASES} random pools. A failure
 * names its seed; {@code RandomPlanInputs.generate(seed)} rebuilds that pool.
 */
class ResidencyPlannerPropertiesTest {

  private static final String SEEDS = "dev.kiln.operator.residency.RandomPlanInputs#seeds";

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void neverExceedsAWorkersGpuMemory(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);
    Map<String, Long> memory = effectiveMemory(input);
    Plan plan = ResidencyPlanner.plan(input);

    for (WorkerState worker : input.workers()) {
      long used = plan.placement().get(worker.name()).stream().mapToLong(memory::get).sum();
      assertThat(used).as("bytes planned on %s", worker.name()).isLessThanOrEqualTo(worker.gpuMemoryBytes());
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void placesKnownModelsOnKnownWorkersAtMostOncePerWorker(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);
    Plan plan = ResidencyPlanner.plan(input);

    assertThat(plan.placement().keySet()).containsExactlyInAnyOrderElementsOf(names(input.workers(), WorkerState::name));
    assertThat(plan.outcomes().keySet()).containsExactlyInAnyOrderElementsOf(names(input.models(), ModelDemand::name));
    plan.placement().values().forEach(models -> assertThat(plan.outcomes().keySet()).containsAll(models));
    for (ModelOutcome outcome : plan.outcomes().values()) {
      assertThat(workersHolding(plan, outcome.model())).hasSize(outcome.placedReplicas());
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void onDemandReplicasNeverKeepAHotModelBelowItsMinimum(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);
    Map<String, Long> memory = effectiveMemory(input);
    Plan plan = ResidencyPlanner.plan(input);

    for (ModelDemand model : input.models()) {
      if (!model.isHot() || plan.outcomes().get(model.name()).placedReplicas() >= model.minReplicas()) {
        continue;
      }
      for (WorkerState worker : input.workers()) {
        if (!worker.acceptsNewReplicas() || plan.placement().get(worker.name()).contains(model.name())) {
          continue;
        }
        long hotBytes = plan.placement().get(worker.name()).stream()
            .filter(name -> isHot(input, name))
            .mapToLong(memory::get)
            .sum();
        assertThat(worker.gpuMemoryBytes() - hotBytes)
            .as("%s is below its minimum, yet %s would hold it without its on-demand models", model.name(), worker.name())
            .isLessThan(memory.get(model.name()));
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void unloadsAResidentReplicaOnlyForSurplusOrAHotModel(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);
    Plan plan = ResidencyPlanner.plan(input);

    for (Move move : plan.moves()) {
      if (move.action() == Move.Action.UNLOAD && !workerNamed(input, move.worker()).draining()) {
        boolean surplus = residentReplicasThatMayStay(input, move.model()) > targetOf(input, move.model());
        assertThat(surplus || displacedByHot(input, plan, move)).as("%s without cause", move).isTrue();
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void movesAModelOnlyWhenAHotModelTookItsPlace(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);
    Plan plan = ResidencyPlanner.plan(input);

    for (ModelOutcome outcome : plan.outcomes().values()) {
      List<Move> unloads = plan.moves().stream()
          .filter(move -> move.action() == Move.Action.UNLOAD && move.model().equals(outcome.model()))
          .filter(move -> !workerNamed(input, move.worker()).draining())
          .toList();
      boolean loaded = plan.moves().stream()
          .anyMatch(move -> move.action() == Move.Action.LOAD && move.model().equals(outcome.model()));
      if (loaded && !unloads.isEmpty()) {
        assertThat(unloads).as("%s moved between workers that keep running", outcome.model())
            .anyMatch(unload -> displacedByHot(input, plan, unload));
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void followsDemandUpToMaxReplicas(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);
    Map<String, Long> memory = effectiveMemory(input);
    Plan plan = ResidencyPlanner.plan(input);

    for (ModelDemand model : input.models()) {
      ModelOutcome outcome = plan.outcomes().get(model.name());
      int expectedTarget = model.isHot()
          ? Math.min(Math.max(model.desiredReplicas(), model.minReplicas()), model.maxReplicas())
          : model.idle() ? 0 : Math.min(model.desiredReplicas(), model.maxReplicas());
      assertThat(outcome.targetReplicas()).isEqualTo(expectedTarget);
      assertThat(outcome.placedReplicas()).isBetween(0, expectedTarget);
      assertThat(outcome.memoryBytes()).isEqualTo(memory.get(model.name()));
      Optional<ShortfallReason> expectedShortfall = outcome.placedReplicas() == expectedTarget
          ? Optional.empty()
          : Optional.of(memory.get(model.name()) > input.poolWorkerGpuMemoryBytes()
              ? ShortfallReason.INSUFFICIENT_GPU_MEMORY
              : ShortfallReason.NO_CAPACITY);
      assertThat(outcome.shortfall()).as(model.name()).isEqualTo(expectedShortfall);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void planningItsOwnResultAgainChangesNothing(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);
    Plan plan = ResidencyPlanner.plan(input);

    Plan again = ResidencyPlanner.plan(applied(input, plan));

    assertThat(again.moves()).isEmpty();
    assertThat(again.placement()).isEqualTo(plan.placement());
    assertThat(again.outcomes()).isEqualTo(plan.outcomes());
    assertThat(again.additionalWorkersNeeded()).isEqualTo(plan.additionalWorkersNeeded());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void idleModelsAndDrainingWorkersGetNothingAndNotReadyWorkersNothingNew(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);
    Plan plan = ResidencyPlanner.plan(input);

    input.models().stream()
        .filter(ModelDemand::idle)
        .forEach(model -> assertThat(workersHolding(plan, model.name())).as(model.name()).isEmpty());
    input.workers().stream()
        .filter(WorkerState::draining)
        .forEach(worker -> assertThat(plan.placement().get(worker.name())).as(worker.name()).isEmpty());
    plan.moves().stream()
        .filter(move -> move.action() == Move.Action.LOAD)
        .forEach(move -> assertThat(workerNamed(input, move.worker()).acceptsNewReplicas()).as("%s", move).isTrue());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void theSameInputInAnyOrderGivesTheSamePlan(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);

    assertThat(ResidencyPlanner.plan(RandomPlanInputs.shuffled(input, seed))).isEqualTo(ResidencyPlanner.plan(input));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void theAdditionalWorkersAreJustEnoughToClearEveryNoCapacityShortfall(long seed) {
    PlanInput input = RandomPlanInputs.generate(seed);
    Plan plan = ResidencyPlanner.plan(input);
    int needed = plan.additionalWorkersNeeded();

    assertThat(noCapacityShortfalls(withEmptyWorkers(applied(input, plan), needed))).isZero();
    if (needed > 0) {
      assertThat(noCapacityShortfalls(withEmptyWorkers(applied(input, plan), needed - 1))).isPositive();
    }
  }

  /**
   * The pool once the plan is applied. A model unloaded everywhere takes its measurement with it,
   * so the operator keeps it as the model's declared memory from then on.
   */
  private static PlanInput applied(PlanInput input, Plan plan) {
    Map<String, Long> memory = effectiveMemory(input);
    var workers = new ArrayList<WorkerState>();
    for (WorkerState worker : input.workers()) {
      Map<String, Long> resident = plan.placement().get(worker.name()).stream()
          .collect(Collectors.toMap(model -> model, memory::get));
      workers.add(new WorkerState(worker.name(), worker.gpuMemoryBytes(), worker.ready(), worker.draining(), resident));
    }
    List<ModelDemand> models = input.models().stream()
        .map(m -> new ModelDemand(
            m.name(), memory.get(m.name()), m.policy(), m.minReplicas(), m.maxReplicas(), m.desiredReplicas(), m.idle()))
        .toList();
    return new PlanInput(input.poolWorkerGpuMemoryBytes(), workers, models);
  }

  private static PlanInput withEmptyWorkers(PlanInput input, int count) {
    var workers = new ArrayList<>(input.workers());
    for (int i = 1; i <= count; i++) {
      // Named as the planner names its trial workers, so that ties break the same way.
      workers.add(new WorkerState("new-worker-" + i, input.poolWorkerGpuMemoryBytes(), true, false, Map.of()));
    }
    return new PlanInput(input.poolWorkerGpuMemoryBytes(), workers, input.models());
  }

  private static long noCapacityShortfalls(PlanInput input) {
    return ResidencyPlanner.plan(input).outcomes().values().stream()
        .filter(outcome -> outcome.shortfall().equals(Optional.of(ShortfallReason.NO_CAPACITY)))
        .count();
  }

  private static boolean isHot(PlanInput input, String model) {
    return input.models().stream().anyMatch(m -> m.name().equals(model) && m.isHot());
  }

  private static int targetOf(PlanInput input, String model) {
    return input.models().stream()
        .filter(m -> m.name().equals(model))
        .mapToInt(ModelDemand::targetReplicas)
        .findFirst()
        .orElse(0);
  }

  private static long residentReplicasThatMayStay(PlanInput input, String model) {
    return input.workers().stream().filter(w -> !w.draining() && w.residentModels().containsKey(model)).count();
  }

  /** Whether an on-demand model was unloaded from a worker that a hot model is loaded onto. */
  private static boolean displacedByHot(PlanInput input, Plan plan, Move unload) {
    return !isHot(input, unload.model()) && plan.moves().stream()
        .anyMatch(move -> move.action() == Move.Action.LOAD
            && move.worker().equals(unload.worker())
            && isHot(input, move.model()));
  }

  private static WorkerState workerNamed(PlanInput input, String name) {
    return input.workers().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
  }

  private static <T> List<String> names(List<T> items, Function<T, String> name) {
    return items.stream().map(name).toList();
  }
}
