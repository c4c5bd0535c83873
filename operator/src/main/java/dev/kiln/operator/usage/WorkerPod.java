package dev.kiln.operator.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * One worker pod as its status shows it at one moment.
 *
 * @param uid the pod's UID; UIDs are never reused, so a pod that is no longer listed is gone
 * @param pool the pool the worker belongs to
 * @param gpuType the GPU type label of its node, or {@link #UNKNOWN_GPU_TYPE}
 * @param gpus GPUs the pod holds (the pool's gpusPerWorker)
 * @param runningSince when its runtime container started running, or null if it never has; after
 *     a container restart the earliest start seen is kept, since the GPUs stayed allocated
 * @param finishedAt when the pod stopped holding its GPUs for good (its container terminated and
 *     will not be restarted), or null while it holds them
 */
public record WorkerPod(
    String uid, PoolRef pool, String gpuType, int gpus, Instant runningSince, Instant finishedAt) {

  /** The GPU type of a pod whose node carries no GPU type label. */
  public static final String UNKNOWN_GPU_TYPE = "unknown";

  public WorkerPod {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(gpuType, "gpuType");
    if (gpus < 0) {
      throw new IllegalArgumentException("pod " + uid + ": gpus must be >= 0");
    }
  }

  PoolGpuType key() {
    return new PoolGpuType(pool, gpuType);
  }
}
