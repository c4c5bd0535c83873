package dev.kiln.operator.residency;

import java.util.HashSet;
import java.util.List;
import java.util.function.Function;

/**
 * Everything the planner looks at: the pool's workers and the models' demand. Order does not
 * matter; names must be unique.
 *
 * @param poolWorkerGpuMemoryBytes GPU memory of one new worker of this pool, which decides whether
 *     a model could fit at all and how many more workers would help
 * @param workers the pool's workers, including draining and not-ready ones
 * @param models the models assigned to this pool
 */
public record PlanInput(long poolWorkerGpuMemoryBytes, List<WorkerState> workers, List<ModelDemand> models) {

  public PlanInput {
    workers = List.copyOf(workers);
    models = List.copyOf(models);
    requireUniqueNames(workers, WorkerState::name, "worker");
    requireUniqueNames(models, ModelDemand::name, "model");
  }

  private static <T> void requireUniqueNames(List<T> items, Function<T, String> name, String kind) {
    var seen = new HashSet<String>();
    for (T item : items) {
      if (!seen.add(name.apply(item))) {
        throw new IllegalArgumentException("duplicate " + kind + " name: " + name.apply(item));
      }
    }
  }
}
