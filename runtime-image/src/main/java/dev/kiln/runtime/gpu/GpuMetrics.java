package dev.kiln.runtime.gpu;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Per-GPU gauges, tagged {@code gpu} with NVML's device index:
 * <ul>
 *   <li>{@code kiln_runtime_gpu_memory_used_bytes}</li>
 *   <li>{@code kiln_runtime_gpu_memory_total_bytes}</li>
 *   <li>{@code kiln_runtime_gpu_utilization_ratio}: share of the last sample period in which a
 *       kernel ran, 0 to 1; NaN where the GPU does not report it (MIG)</li>
 * </ul>
 * The GPUs are those present at {@link #bindTo}; none for a node without NVML. A scrape reads NVML
 * at most once per {@link #MAX_SAMPLE_AGE}, however many gauges it reads.
 */
public final class GpuMetrics implements MeterBinder {

  static final Duration MAX_SAMPLE_AGE = Duration.ofSeconds(1);

  private final RecentSamples samples;

  public GpuMetrics(GpuTelemetry telemetry) {
    this(telemetry, System::nanoTime);
  }

  GpuMetrics(GpuTelemetry telemetry, LongSupplier nanoTime) {
    this.samples = new RecentSamples(telemetry, MAX_SAMPLE_AGE, nanoTime);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (GpuSample gpu : samples.all()) {
      register(registry, gpu.index(), "kiln_runtime_gpu_memory_used_bytes", "GPU memory in use", "bytes",
          GpuSample::memoryUsedBytes);
      register(registry, gpu.index(), "kiln_runtime_gpu_memory_total_bytes", "Total GPU memory", "bytes",
          GpuSample::memoryTotalBytes);
      register(registry, gpu.index(), "kiln_runtime_gpu_utilization_ratio", "Share of time a kernel ran on the GPU",
          null, sample -> sample.utilizationPercent().isPresent()
              ? sample.utilizationPercent().getAsInt() / 100.0 : Double.NaN);
    }
  }

  private void register(MeterRegistry registry, int index, String name, String description, String unit,
      ToDoubleFunction<GpuSample> value) {
    Gauge.builder(name, samples, recent -> recent.gpu(index).map(value::applyAsDouble).orElse(Double.NaN))
        .tag("gpu", Integer.toString(index))
        .description(description)
        .baseUnit(unit)
        // Gauges hold their object weakly by default, and callers keep no reference to this binder.
        .strongReference(true)
        .register(registry);
  }
}
