package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPoolSpec;
import dev.kiln.operator.residency.Plan;
import java.util.Objects;

/** How many workers a pool should run. */
public final class WorkerCount {

  private WorkerCount() {}

  /**
   * The workers the placement needs (never fewer than {@code workers.min}, which are kept even
   * when idle) plus {@code warmSpares}, within {@code workers.min..max}. Spares come on top of
   * the minimum so a pool at rest still has idle, started workers for the first load.
   *
   * @param neededByPlacement workers the residency planner needs for the models it placed
   */
  /**
   * The workers a residency plan needs: those it puts models on, plus the empty ones it lacks for
   * the replicas it could not place for want of room.
   */
  public static int neededByPlacement(Plan plan) {
    long used = plan.placement().values().stream().filter(models -> !models.isEmpty()).count();
    return Math.toIntExact(used + plan.additionalWorkersNeeded());
  }

  public static int desired(GpuPoolSpec spec, int neededByPlacement) {
    int min = Objects.requireNonNullElse(spec.getWorkers().getMin(), 0);
    int max = spec.getWorkers().getMax();
    int spares = Objects.requireNonNullElse(spec.getWarmSpares(), 0);
    long wanted = (long) Math.max(min, neededByPlacement) + spares;
    return Math.clamp(wanted, min, max);
  }
}
