package dev.kiln.runtime.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuMetricsTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void theScrapeShowsEachGpusMemoryAndUtilisationFromNvml(@TempDir Path libraries) throws Exception {
    try (GpuTelemetry telemetry = GpuTelemetry.detect(FakeNvml.build(libraries).toString())) {
      new GpuMetrics(telemetry).bindTo(registry);

      assertThat(registry.scrape()).contains(
          "kiln_runtime_gpu_memory_used_bytes{gpu=\"0\"} 1.073741824E9",
          "kiln_runtime_gpu_memory_total_bytes{gpu=\"0\"} 8.589934592E10",
          "kiln_runtime_gpu_utilization_ratio{gpu=\"0\"} 0.37",
          "kiln_runtime_gpu_memory_used_bytes{gpu=\"1\"} 5.36870912E8",
          "kiln_runtime_gpu_memory_total_bytes{gpu=\"1\"} 1.073741824E10",
          "kiln_runtime_gpu_utilization_ratio{gpu=\"1\"} NaN");
    }
  }

  @Test
  void aScrapeReadsNvmlOncePerSecondAtMost() {
    var telemetry = new ScriptedTelemetry(() -> List.of(gpu(0, 100), gpu(1, 200)));
    new GpuMetrics(telemetry, nanos::get).bindTo(registry);
    assertThat(telemetry.reads).isEqualTo(1);

    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    registry.scrape();
    assertThat(telemetry.reads).as("six gauges read within the second").isEqualTo(1);

    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    registry.scrape();
    registry.scrape();
    assertThat(telemetry.reads).as("six gauges read twice once the sample is a second old").isEqualTo(2);
  }

  @Test
  void aFailedReadShowsNaNUntilNvmlAnswersAgain() {
    Queue<Supplier<List<GpuSample>>> answers = new ArrayDeque<>(List.of(
        () -> List.of(gpu(0, 100)),
        () -> {
          throw new NvmlException("nvmlDeviceGetMemoryInfo", 15, "GPU is lost");
        },
        () -> List.of(gpu(0, 300))));
    new GpuMetrics(new ScriptedTelemetry(() -> answers.remove().get()), nanos::get).bindTo(registry);

    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(registry.get("kiln_runtime_gpu_memory_used_bytes").gauge().value()).isNaN();

    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(registry.get("kiln_runtime_gpu_memory_used_bytes").gauge().value()).isEqualTo(300);
  }

  @Test
  void withoutGpusThereAreNoGpuGauges() {
    new GpuMetrics(GpuTelemetry.none()).bindTo(registry);

    assertThat(registry.getMeters()).isEmpty();
    assertThat(registry.scrape()).doesNotContain("kiln_runtime_gpu");
  }

  private static GpuSample gpu(int index, long usedBytes) {
    return new GpuSample(index, "GPU " + index, "GPU-" + index, usedBytes, 1000, OptionalInt.of(50));
  }

  /** Answers each read from a script and counts the reads. */
  private static final class ScriptedTelemetry implements GpuTelemetry {

    private final Supplier<List<GpuSample>> answer;
    int reads;

    ScriptedTelemetry(Supplier<List<GpuSample>> answer) {
      this.answer = answer;
    }

    @Override
    public boolean available() {
      return true;
    }

    @Override
    public List<GpuSample> sample() {
      reads++;
      return answer.get();
    }

    @Override
    public void close() {}
  }
}
