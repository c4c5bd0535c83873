package dev.kiln.operator.residency;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;

/**
 * How many more empty workers of the pool's size would let every model short for {@link
 * ShortfallReason#NO_CAPACITY} reach its target, once the plan is applied: the fewest extra
 * workers with which the same heuristic, starting from the planned placement, leaves no such
 * shortfall, found by trying one, two, ... extra workers. One extra worker per targeted replica of
 * every model that fits one always suffices, since each replica then finds an empty worker. It
 * stays an estimate: the real workers' names may break ties differently.
 */
final class AdditionalWorkers {

  private static final Optional<ShortfallReason> NO_CAPACITY = Optional.of(ShortfallReason.NO_CAPACITY);

  private AdditionalWorkers() {}

  static int needed(PlanInput input, Map<String, Long> modelMemory, Assignment planned, Map<String, ModelOutcome> outcomes) {
    if (outcomes.values().stream().noneMatch(outcome -> outcome.shortfall().equals(NO_CAPACITY))) {
      return 0;
    }
    int enough = input.models().stream()
        .filter(model -> modelMemory.get(model.name()) <= input.poolWorkerGpuMemoryBytes())
        .mapToInt(ModelDemand::targetReplicas)
        .sum();
    var workers = new ArrayList<WorkerState>();
    var takenNames = new HashSet<String>();
    for (WorkerState worker : input.workers()) {
      var resident = new HashMap<String, Long>();
      planned.modelsOn(worker.name()).forEach(model -> resident.put(model, modelMemory.get(model)));
      workers.add(new WorkerState(worker.name(), worker.gpuMemoryBytes(), worker.ready(), worker.draining(), resident));
      takenNames.add(worker.name());
    }
    int suffix = 0;
    for (int extra = 1; extra < enough; extra++) {
      String name;
      do {
        name = "new-worker-" + ++suffix;
      } while (takenNames.contains(name));
      workers.add(new WorkerState(name, input.poolWorkerGpuMemoryBytes(), true, false, Map.of()));
      Assignment trial = ReplicaPlacer.place(workers, input.models(), modelMemory);
      if (ResidencyPlanner.outcomes(input, modelMemory, trial).values().stream()
          .noneMatch(outcome -> outcome.shortfall().equals(NO_CAPACITY))) {
        return extra;
      }
    }
    return enough;
  }
}
