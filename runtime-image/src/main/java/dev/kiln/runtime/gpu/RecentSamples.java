package dev.kiln.runtime.gpu;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last sample of every GPU, taken again once it is older than a maximum age: a scrape reads
 * three gauges per GPU, and they share one NVML read. A failed read is logged and leaves no GPUs
 * until the next one, so the gauges show NaN rather than stale values.
 */
final class RecentSamples {

  private static final Logger LOG = LoggerFactory.getLogger(RecentSamples.class);

  private final GpuTelemetry telemetry;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private List<GpuSample> samples = List.of();
  private long takenAt;
  private boolean taken;

  /**
   * @param nanoTime a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
   */
  RecentSamples(GpuTelemetry telemetry, Duration maxAge, LongSupplier nanoTime) {
    this.telemetry = telemetry;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
  }

  synchronized List<GpuSample> all() {
    long now = nanoTime.getAsLong();
    if (!taken || now - takenAt >= maxAgeNanos) {
      samples = read();
      takenAt = now;
      taken = true;
    }
    return samples;
  }

  Optional<GpuSample> gpu(int index) {
    return all().stream().filter(sample -> sample.index() == index).findFirst();
  }

  private List<GpuSample> read() {
    try {
      return telemetry.sample();
    } catch (RuntimeException e) {
      LOG.warn("GPU telemetry failed, GPU metrics are NaN until it answers again: {}", e.getMessage());
      return List.of();
    }
  }
}
