package dev.kiln.operator.usage;

import static dev.kiln.operator.usage.AllocatedGpuTimeTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageMetricsTest {

  private static final PoolRef POOL = new PoolRef("ml", "h100");
  private static final long SECOND = 1_000_000_000L;

  private final UsageMeter meter = new UsageMeter();
  private final UsageMetrics metrics = new UsageMetrics(meter);
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void exportsAllocatedBusyIdleAndCostUnderTheirPrometheusNames() {
    metrics.bindTo(registry);
    WorkerPod worker = new WorkerPod("a", POOL, "nvidia-h100", 2, at(0), null);
    Map<PoolRef, PoolPrice> prices = Map.of(POOL, PoolPrice.of("0.00095", "USD"));
    meter.observePods(at(100), List.of(worker), prices);
    meter.recordStats("a", Map.of("whisper", 30 * SECOND + 500_000_000L));
    meter.observePods(at(200), List.of(worker), prices);
    metrics.refresh();

    assertThat(registry.scrape()).contains(
        "kiln_pool_allocated_gpu_seconds_total{gpu_type=\"nvidia-h100\",namespace=\"ml\",pool=\"h100\"} 400.0",
        "kiln_model_busy_seconds_total{model=\"whisper\",namespace=\"ml\",pool=\"h100\"} 30.5",
        "kiln_pool_idle_gpu_seconds_total{namespace=\"ml\",pool=\"h100\"} 339.0",
        "kiln_pool_cost_total{currency=\"USD\",namespace=\"ml\",pool=\"h100\"} 0.38");
  }

  @Test
  void readsTheMeterAtScrapeTimeAndAddsNewSeriesOnRefresh() {
    meter.observePods(at(10), List.of(new WorkerPod("a", POOL, WorkerPod.UNKNOWN_GPU_TYPE, 1, at(0), null)), Map.of());
    metrics.refresh();
    metrics.bindTo(registry);
    assertThat(registry.scrape()).contains("kiln_pool_allocated_gpu_seconds_total{gpu_type=\"unknown\",namespace=\"ml\",pool=\"h100\"} 10.0");

    meter.observePods(at(40), List.of(new WorkerPod("a", POOL, WorkerPod.UNKNOWN_GPU_TYPE, 1, at(0), null)), Map.of());
    meter.recordStats("a", Map.of("llama", 2 * SECOND));
    assertThat(registry.scrape())
        .contains("kiln_pool_allocated_gpu_seconds_total{gpu_type=\"unknown\",namespace=\"ml\",pool=\"h100\"} 40.0")
        .doesNotContain("kiln_model_busy_seconds_total");

    metrics.refresh();
    assertThat(registry.scrape()).contains("kiln_model_busy_seconds_total{model=\"llama\",namespace=\"ml\",pool=\"h100\"} 2.0");
  }
}
