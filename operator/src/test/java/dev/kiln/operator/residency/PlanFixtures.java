package dev.kiln.operator.residency;

import dev.kiln.operator.residency.ModelDemand.Policy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Builders and independent arithmetic for the planner's tests. */
final class PlanFixtures {

  static final long GIB = 1L << 30;

  private PlanFixtures() {}

  static WorkerState worker(String name, long gib, Map<String, Long> residentGib) {
    var resident = new HashMap<String, Long>();
    residentGib.forEach((model, bytes) -> resident.put(model, bytes * GIB));
    return new WorkerState(name, gib * GIB, true, false, resident);
  }

  static WorkerState emptyWorker(String name, long gib) {
    return worker(name, gib, Map.of());
  }

  static ModelDemand hot(String name, long gib, int minReplicas, int maxReplicas, int desiredReplicas) {
    return new ModelDemand(name, gib * GIB, Policy.HOT, minReplicas, maxReplicas, desiredReplicas, false);
  }

  static ModelDemand onDemand(String name, long gib, int maxReplicas, int desiredReplicas) {
    return new ModelDemand(name, gib * GIB, Policy.ON_DEMAND, 0, maxReplicas, desiredReplicas, false);
  }

  static ModelDemand idle(String name, long gib) {
    return new ModelDemand(name, gib * GIB, Policy.ON_DEMAND, 0, 1, 1, true);
  }

  static PlanInput input(long poolWorkerGib, List<WorkerState> workers, List<ModelDemand> models) {
    return new PlanInput(poolWorkerGib * GIB, workers, models);
  }

  /** Each model's bytes per replica as the design states it: the larger of declared and measured. */
  static Map<String, Long> effectiveMemory(PlanInput input) {
    var memory = new HashMap<String, Long>();
    for (ModelDemand model : input.models()) {
      long measured = input.workers().stream()
          .mapToLong(worker -> worker.residentModels().getOrDefault(model.name(), 0L))
          .max()
          .orElse(0);
      memory.put(model.name(), Math.max(model.memoryBytes(), measured));
    }
    return memory;
  }

  static Set<String> workersHolding(Plan plan, String model) {
    var workers = new TreeSet<String>();
    plan.placement().forEach((worker, models) -> {
      if (models.contains(model)) {
        workers.add(worker);
      }
    });
    return workers;
  }
}
