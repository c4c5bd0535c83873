package dev.kiln.operator.model;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelSpec;
import dev.kiln.crds.model.ResidencyPolicy;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.residency.ModelDemand;
import dev.kiln.operator.residency.PlanInput;
import dev.kiln.operator.residency.WorkerState;
import dev.kiln.operator.scaling.ScaleBounds;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The planner's view of one pool: its live worker pods with what their residency annotations say
 * they hold (see {@link #heldModels}), and every Model of the pool, each asking for the replicas the
 * autoscaler decided, or {@code minReplicas} before it has decided; an idle OnDemand model asks
 * for none.
 */
public final class PoolPlanInput {

  /**
   * Capacity of a worker of a pool that declares no GPU memory (a CPU pool): large enough never to
   * bind, small enough that the planner's sums cannot overflow.
   */
  static final long UNBOUNDED_MEMORY_BYTES = 1L << 50;

  private PoolPlanInput() {}

  /**
   * @param desiredReplicas the autoscaler's replicas for each model, by name
   * @param idle the OnDemand models that have gone unused past their idle timeout, by name
   */
  public static PlanInput of(GpuPool pool, List<Pod> pods, List<Model> models, Map<String, Integer> desiredReplicas,
      Set<String> idle) {
    long capacity = workerMemory(pool);
    Map<String, Long> memory = new HashMap<>();
    models.forEach(model -> memory.put(model.getMetadata().getName(), GpuMemory.effectiveBytes(model)));
    List<WorkerState> workers = pods.stream()
        .filter(WorkerPods::live)
        .map(pod -> {
          Map<String, Long> held = new HashMap<>();
          heldModels(pod).forEach(name -> held.put(name, memory.getOrDefault(name, 0L)));
          return new WorkerState(pod.getMetadata().getName(), capacity, WorkerPods.ready(pod), WorkerPods.draining(pod), held);
        })
        .toList();
    return new PlanInput(capacity, workers, models.stream()
        .map(model -> demand(model, desiredReplicas.get(model.getMetadata().getName()),
            idle.contains(model.getMetadata().getName())))
        .toList());
  }

  /**
   * What a worker holds for the planner: the models resident there and, while it is ready, those
   * desired there (a load started or about to). Counting a placement from the moment it is desired
   * keeps it where it is, with its memory taken, while it loads: otherwise every other model's plan
   * in the meantime, seeing the memory free, could place the model and others elsewhere, and a pool
   * filling up at once would load most replicas several times over. A worker that stops being ready
   * keeps only what it had loaded, so a load that never started there is placed elsewhere.
   */
  private static Set<String> heldModels(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    Set<String> held = new HashSet<>(ResidencyAnnotations.read(annotations, ResidencyAnnotations.RESIDENT).keySet());
    if (WorkerPods.ready(pod)) {
      held.addAll(ResidencyAnnotations.read(annotations, ResidencyAnnotations.DESIRED).keySet());
    }
    return held;
  }

  private static ModelDemand demand(Model model, Integer desired, boolean idle) {
    ModelSpec spec = model.getSpec();
    ScaleBounds bounds = ScalingInputs.bounds(spec, idle);
    boolean hot = spec.getResidency() != null && spec.getResidency().getPolicy() == ResidencyPolicy.HOT;
    return new ModelDemand(model.getMetadata().getName(), GpuMemory.effectiveBytes(model), hot ? ModelDemand.Policy.HOT : ModelDemand.Policy.ON_DEMAND,
        bounds.minReplicas(), bounds.maxReplicas(), Objects.requireNonNullElse(desired, bounds.minReplicas()), idle);
  }

  private static long workerMemory(GpuPool pool) {
    Quantity memory = pool.getSpec() == null ? null : pool.getSpec().getGpuMemoryPerWorker();
    return memory == null ? UNBOUNDED_MEMORY_BYTES : Quantity.getAmountInBytes(memory).longValueExact();
  }
}
