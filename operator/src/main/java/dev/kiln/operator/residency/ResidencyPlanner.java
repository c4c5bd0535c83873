package dev.kiln.operator.residency;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Decides which models each worker of a pool should hold: a pure, deterministic function of the
 * workers' state and the models' demand, with no I/O and no clock.
 *
 * <p>Guarantees: no worker's GPU memory is overcommitted; a model has at most one replica per
 * worker and never more than its target; hot models reach {@code minReplicas} before any
 * on-demand model gets a replica, evicting on-demand replicas if they must, while on-demand
 * models never evict anything; replicas already resident stay where they are unless the worker
 * drains or the model has more than its target; idle on-demand models and draining workers get
 * nothing; planning the plan's own result again changes nothing. The heuristic is described on
 * {@link ReplicaPlacer}. Each model counts the larger of its declared and its measured memory.
 */
public final class ResidencyPlanner {

  private static final Comparator<Move> MOVE_ORDER =
      Comparator.comparing(Move::action).thenComparing(Move::worker).thenComparing(Move::model);

  private ResidencyPlanner() {}

  public static Plan plan(PlanInput input) {
    Map<String, Long> modelMemory = effectiveMemory(input);
    Assignment target = ReplicaPlacer.place(input.workers(), input.models(), modelMemory);
    SortedMap<String, ModelOutcome> outcomes = outcomes(input, modelMemory, target);
    return new Plan(
        target.placement(),
        outcomes,
        AdditionalWorkers.needed(input, modelMemory, target, outcomes),
        moves(input.workers(), target.placement()));
  }

  static SortedMap<String, ModelOutcome> outcomes(PlanInput input, Map<String, Long> modelMemory, Assignment assignment) {
    var outcomes = new TreeMap<String, ModelOutcome>();
    for (ModelDemand model : input.models()) {
      long bytes = modelMemory.get(model.name());
      int placed = assignment.replicas(model.name());
      Optional<ShortfallReason> shortfall = placed >= model.targetReplicas()
          ? Optional.empty()
          : Optional.of(bytes > input.poolWorkerGpuMemoryBytes()
              ? ShortfallReason.INSUFFICIENT_GPU_MEMORY
              : ShortfallReason.NO_CAPACITY);
      outcomes.put(model.name(), new ModelOutcome(model.name(), bytes, model.targetReplicas(), placed, shortfall));
    }
    return outcomes;
  }

  private static Map<String, Long> effectiveMemory(PlanInput input) {
    var memory = new HashMap<String, Long>();
    input.models().forEach(model -> memory.put(model.name(), model.memoryBytes()));
    for (WorkerState worker : input.workers()) {
      worker.residentModels().forEach((model, measured) ->
          memory.computeIfPresent(model, (name, declared) -> Math.max(declared, measured)));
    }
    return memory;
  }

  private static List<Move> moves(List<WorkerState> workers, SortedMap<String, SortedSet<String>> placement) {
    var moves = new ArrayList<Move>();
    for (WorkerState worker : workers) {
      SortedSet<String> target = placement.get(worker.name());
      worker.residentModels().keySet().stream()
          .filter(model -> !target.contains(model))
          .forEach(model -> moves.add(new Move(Move.Action.UNLOAD, worker.name(), model)));
      target.stream()
          .filter(model -> !worker.residentModels().containsKey(model))
          .forEach(model -> moves.add(new Move(Move.Action.LOAD, worker.name(), model)));
    }
    moves.sort(MOVE_ORDER);
    return moves;
  }
}
