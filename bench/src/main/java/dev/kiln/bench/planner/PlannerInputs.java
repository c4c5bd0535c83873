package dev.kiln.bench.planner;

import dev.kiln.operator.residency.ModelDemand;
import dev.kiln.operator.residency.PlanInput;
import dev.kiln.operator.residency.WorkerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A pool as the planner sees it at scale, made from a seed: {@code workers} 80 GiB GPUs, about a
 * third of them already holding models, and {@code models} of 1 to 10 GiB, a quarter of them Hot,
 * each asking for 1 to 3 replicas. Total demand is about what the workers hold, so the planner
 * both places and reports shortfalls.
 */
final class PlannerInputs {

  private static final long GIB = 1L << 30;
  private static final long WORKER_MEMORY = 80 * GIB;

  private PlannerInputs() {}

  static PlanInput of(int models, int workers, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ModelDemand> demands = new ArrayList<>(models);
    for (int i = 0; i < models; i++) {
      boolean hot = random.nextInt(4) == 0;
      int min = hot ? 1 : 0;
      int max = 1 + random.nextInt(3);
      demands.add(new ModelDemand("model-" + i, (1 + random.nextInt(10)) * GIB,
          hot ? ModelDemand.Policy.HOT : ModelDemand.Policy.ON_DEMAND, min, Math.max(max, min),
          random.nextInt(max + 1), !hot && random.nextInt(5) == 0));
    }
    List<WorkerState> states = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      Map<String, Long> resident = new HashMap<>();
      if (random.nextInt(3) == 0) {
        long used = 0;
        for (int tries = 0; tries < 8; tries++) {
          ModelDemand model = demands.get(random.nextInt(models));
          if (used + model.memoryBytes() <= WORKER_MEMORY && resident.putIfAbsent(model.name(), model.memoryBytes()) == null) {
            used += model.memoryBytes();
          }
        }
      }
      states.add(new WorkerState("worker-" + w, WORKER_MEMORY, random.nextInt(50) != 0, random.nextInt(100) == 0,
          resident));
    }
    return new PlanInput(WORKER_MEMORY, states, demands);
  }
}
