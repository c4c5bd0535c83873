package dev.kiln.operator.residency;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One worker of the pool as the operator observes it.
 *
 * @param name the worker pod's name
 * @param gpuMemoryBytes GPU memory models may use on this worker
 * @param ready whether the worker's runtime is up; new replicas go only to ready workers, while
 *     what a not-ready worker already holds is kept, so a readiness blip reshuffles nothing
 * @param draining whether the worker is being removed: nothing is planned onto it and its models
 *     are placed elsewhere
 * @param residentModels the models it holds now, by name, with the GPU memory the runtime
 *     measured for each (which may exceed what the model declares); kept in name order
 */
public record WorkerState(
    String name,
    long gpuMemoryBytes,
    boolean ready,
    boolean draining,
    Map<String, Long> residentModels) {

  public WorkerState {
    Objects.requireNonNull(name, "name");
    if (gpuMemoryBytes < 0) {
      throw new IllegalArgumentException("worker " + name + ": gpuMemoryBytes must be >= 0");
    }
    residentModels = Collections.unmodifiableSortedMap(new TreeMap<>(residentModels));
  }

  /**
   * Whether {@code bytes} of {@code model} fit next to what the worker holds now (an older
   * version of the same model is replaced, so it does not count): a load waits until the models
   * the plan moves away are gone, so memory is never overcommitted, not even for a moment.
   */
  public boolean hasRoomFor(String model, long bytes) {
    long used = residentModels.entrySet().stream()
        .filter(entry -> !entry.getKey().equals(model))
        .mapToLong(Map.Entry::getValue)
        .sum();
    return used + bytes <= gpuMemoryBytes;
  }

  /**
   * Whether another {@code bytes} fit next to everything the worker holds now, a version of the
   * same model included: room for a new version beside the old one while it takes over.
   */
  public boolean hasRoomBeside(long bytes) {
    return residentModels.values().stream().mapToLong(Long::longValue).sum() + bytes <= gpuMemoryBytes;
  }

  /** Whether the planner may put new replicas here. */
  public boolean acceptsNewReplicas() {
    return ready && !draining;
  }
}
