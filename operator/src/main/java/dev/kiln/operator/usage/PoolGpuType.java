package dev.kiln.operator.usage;

import java.util.Objects;

/** The key of allocated GPU time: a pool and the GPU type of its workers' nodes. */
public record PoolGpuType(PoolRef pool, String gpuType) {

  public PoolGpuType {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(gpuType, "gpuType");
  }
}
