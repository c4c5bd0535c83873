package dev.kiln.gateway.server;

import dev.kiln.gateway.routing.ModelKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;

/**
 * What the gateway meters per model and API key on {@code /metrics}:
 * <ul>
 *   <li>{@code kiln_gateway_requests_total} by {@code outcome} ({@code ok}, {@code error}: a model's 4xx/5xx,
 *       {@code failed}: no answer, {@code cancelled}, {@code timeout})</li>
 *   <li>{@code kiln_gateway_compute_seconds_total}: the compute time the workers measured, summed over answered
 *       requests</li>
 *   <li>{@code kiln_gateway_cost_total}: that time priced at the Model's {@code spec.pricePerSecond}</li>
 * </ul>
 */
public final class RunMetering {

  private final MeterRegistry registry;

  public RunMetering(MeterRegistry registry) {
    this.registry = registry;
  }

  void finished(ModelKey model, String apiKey, String outcome, double computeSeconds, BigDecimal pricePerSecond) {
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
