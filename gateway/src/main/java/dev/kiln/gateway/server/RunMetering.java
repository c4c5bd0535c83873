package dev.kiln.gateway.server;

import dev.kiln.gateway.routing.ModelKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the gateway meters per model and API key on {@code /metrics}:
 * <ul>
 *   <li>{@code kiln_gateway_requests_total} by {@code outcome} ({@code ok}, {@code error}: a model's 4xx/5xx,
 *       {@code failed}: no answer, {@code cancelled}, {@code timeout})</li>
 *   <li>{@code kiln_gateway_compute_seconds_total}: the compute time the workers measured, summed over answered
 *       requests</li>
 *   <li>{@code kiln_gateway_cost_total}: that time priced at the Model's {@code spec.pricePerSecond}</li>
 *   <li>{@code kiln_gateway_request_duration_seconds}: from arrival to completion, queue included, by
 *       {@code outcome}; a histogram, for p50/p99 per model</li>
 *   <li>{@code kiln_gateway_queued_requests} and {@code kiln_gateway_in_flight_requests}: each model's
 *       demand now, as {@code /stats} reports it, from the model's first request on</li>
 * </ul>
 */
public final class RunMetering {

  private final MeterRegistry registry;

  public RunMetering(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Gauges of {@code model}'s demand, read from {@code demand} at each scrape. They hold it strongly:
   * a gauge keeps only a weak reference by default, and nothing else holds this supplier, so it would
   * be collected and the gauge report NaN.
   */
  void demandOf(ModelKey model, Supplier<ModelDemand> demand) {
    Gauge.builder("kiln.gateway.queued.requests", demand, now -> now.get().queued().total())
        .description("Requests waiting in the gateway's queue for a model")
        .tags("namespace", model.namespace(), "model", model.name())
        .strongReference(true)
        .register(registry);
    Gauge.builder("kiln.gateway.in.flight.requests", demand, now -> now.get().inFlight())
        .description("Requests the gateway has running on a model's workers")
        .tags("namespace", model.namespace(), "model", model.name())
        .strongReference(true)
        .register(registry);
  }

  void finished(ModelKey model, String apiKey, String outcome, double computeSeconds, BigDecimal pricePerSecond,
      Duration latency) {
    Timer.builder("kiln.gateway.request.duration")
        .description("Time from a request's arrival at the gateway to its completion, queue included")
        .tags("namespace", model.namespace(), "model", model.name(), "outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry)
        .record(latency);
    Counter.builder("kiln.gateway.requests")
        .description("Requests the gateway finished, by outcome")
        .tags("namespace", model.namespace(), "model", model.name(), "api_key", apiKey, "outcome", outcome)
        .register(registry)
        .increment();
    if (computeSeconds > 0) {
      Counter.builder("kiln.gateway.compute")
          .baseUnit("seconds")
          .description("Compute time the workers measured for the gateway's requests")
          .tags("namespace", model.namespace(), "model", model.name(), "api_key", apiKey)
          .register(registry)
          .increment(computeSeconds);
      if (pricePerSecond.signum() > 0) {
        Counter.builder("kiln.gateway.cost")
            .description("Compute time of the gateway's requests priced at each Model's pricePerSecond")
            .tags("namespace", model.namespace(), "model", model.name(), "api_key", apiKey)
            .register(registry)
            .increment(pricePerSecond.doubleValue() * computeSeconds);
      }
    }
  }
}
