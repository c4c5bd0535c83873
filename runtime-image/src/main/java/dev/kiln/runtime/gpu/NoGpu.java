package dev.kiln.runtime.gpu;

import java.util.List;

/** The telemetry of a node without NVML: no GPUs, nothing to release. */
enum NoGpu implements GpuTelemetry {
  INSTANCE;

  @Override
  public boolean available() {
    return false;
  }

  @Override
  public List<GpuSample> sample() {
    return List.of();
  }

  @Override
  public void close() {}
}
