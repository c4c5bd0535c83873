package dev.kiln.runtime.gpu;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory and utilisation of this node's GPUs. {@link #detect()} finds NVML where the NVIDIA
 * driver is installed (the NVIDIA container toolkit mounts it into GPU pods) and otherwise gives a
 * telemetry that reports no GPUs: a worker without a GPU is a CPU worker, not a fault.
 *
 * <p>Ready to wire: {@code new GpuMetrics(GpuTelemetry.detect()).bindTo(registry)}.
 */
public interface GpuTelemetry extends AutoCloseable {

  /** Whether GPUs can be read; false for the telemetry of a node without NVML. */
  boolean available();

  /**
   * Reads every GPU now, in NVML's index order; empty where {@link #available()} is false.
   *
   * @throws NvmlException when NVML fails to answer (a GPU fell off the bus, the driver went away)
   * @throws IllegalStateException after {@link #close()}
   */
  List<GpuSample> sample();

  /** Releases NVML; idempotent. */
  @Override
  void close();

  /** NVML from the NVIDIA driver's library ({@code libnvidia-ml.so.1}, else the unversioned name). */
  static GpuTelemetry detect() {
    return detect("libnvidia-ml.so.1", "libnvidia-ml.so");
  }

  /**
   * NVML from the first of these libraries that loads, or {@link #none()} with one log line saying
   * why: INFO when no library loads (no driver: a CPU node), WARN when one loads but NVML does not
   * initialise (a driver that is there but unusable).
   *
   * @param libraries names the dynamic linker finds, or paths
   */
  static GpuTelemetry detect(String... libraries) {
    Logger log = LoggerFactory.getLogger(GpuTelemetry.class);
    List<String> reasons = new ArrayList<>();
    for (String library : libraries) {
      try {
        Nvml nvml = Nvml.open(library);
        log.info("GPU telemetry through {}", nvml);
        return nvml;
      } catch (IllegalArgumentException e) {
        reasons.add(e.getMessage());
      } catch (NvmlException e) {
        log.warn("no GPU telemetry: {} loads but NVML does not start: {}", library, e.getMessage());
        return none();
      }
    }
    log.info("no GPU telemetry, so no GPU metrics (NVML not found: {})", String.join("; ", reasons));
    return none();
  }

  /** The telemetry of a node without GPUs. */
  static GpuTelemetry none() {
    return NoGpu.INSTANCE;
  }
}
