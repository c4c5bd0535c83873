package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtProvider;
import dev.kiln.runtime.gpu.GpuSample;
import dev.kiln.runtime.gpu.GpuTelemetry;
import java.util.List;
import java.util.Set;

/**
 * Where ONNX Runtime runs models on this worker, and why: CUDA when a GPU is present and the GPU
 * build of ONNX Runtime is on the classpath, the CPU otherwise.
 */
public record ExecutionProvider(boolean cuda, String reason) {

  public static ExecutionProvider choose(GpuPresence gpu, Set<OrtProvider> available) {
    if (!gpu.present()) {
      return new ExecutionProvider(false, "no GPU: " + gpu.reason());
    }
    if (!available.contains(OrtProvider.CUDA)) {
      return new ExecutionProvider(false, "a GPU is present but this ONNX Runtime build has no CUDA provider "
          + "(available: " + available + "); use the GPU image, which ships com.microsoft.onnxruntime:onnxruntime_gpu");
    }
    return new ExecutionProvider(true, "GPU present (" + gpu.reason() + ") and the CUDA provider is available");
  }

  /** Whether the worker has a GPU, as GPU telemetry found it, with the evidence or the reason for none. */
  public record GpuPresence(boolean present, String reason) {

    public static GpuPresence of(GpuTelemetry telemetry) {
      if (!telemetry.available()) {
        return new GpuPresence(false, "NVML not found (no NVIDIA driver on this node)");
      }
      List<GpuSample> gpus = telemetry.sample();
      if (gpus.isEmpty()) {
        return new GpuPresence(false, "NVML reports no GPU (is nvidia.com/gpu requested by the pod?)");
      }
      return new GpuPresence(true, "NVML reports " + gpus.stream().map(gpu -> gpu.index() + ": " + gpu.name()).toList());
    }
  }
}
