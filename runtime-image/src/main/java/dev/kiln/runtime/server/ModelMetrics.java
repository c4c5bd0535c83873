package dev.kiln.runtime.server;

import dev.kiln.runtime.model.ModelStats;
import dev.kiln.runtime.model.ResidentModel;
import dev.kiln.runtime.model.ResidentModels;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus meters of each model, tagged {@code model}: busy seconds and requests (counters that
 * only grow), and requests in flight and queued and memory held (gauges, 0 while not resident).
 */
public final class ModelMetrics {

  private final MeterRegistry registry;
  private ResidentModels models;

  public ModelMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The models whose residency the gauges read; set once, before the first load. */
  public void observe(ResidentModels residentModels) {
    this.models = residentModels;
  }

  public void register(String name, ModelStats stats) {
    FunctionCounter.builder("kiln_runtime_busy_seconds", stats, ModelStats::busySeconds)
        .description("Seconds spent executing requests (not waiting), per model").tag("model", name)
        .register(registry);
    FunctionCounter.builder("kiln_runtime_requests", stats, ModelStats::completed)
        .description("Requests answered, per model and outcome").tags("model", name, "outcome", "completed")
        .register(registry);
    FunctionCounter.builder("kiln_runtime_requests", stats, ModelStats::failed)
        .description("Requests answered, per model and outcome").tags("model", name, "outcome", "failed")
        .register(registry);
    Gauge.builder("kiln_runtime_model_in_flight_requests", stats, ModelStats::inFlight)
        .description("Requests being executed or waiting for a batch, per model").tag("model", name)
        .register(registry);
    residentGauge("kiln_runtime_model_queued_requests", "Requests waiting for a batch, per model", name,
        model -> model.model().queued());
    residentGauge("kiln_runtime_model_memory_bytes", "Memory held by the resident model", name,
        ResidentModel::memoryBytes);
  }

  private void residentGauge(String metric, String description, String name, ToDoubleFunction<ResidentModel> read) {
    Gauge.builder(metric, () -> models.list().stream().filter(model -> model.name().equals(name))
            .mapToDouble(read).findFirst().orElse(0))
        .description(description).tag("model", name).register(registry);
  }
}
