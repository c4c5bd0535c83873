package dev.kiln.bench.metering;

import dev.kiln.bench.cluster.BenchFleet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

/**
 * What Kiln metered, read from its own registries (what {@code /metrics} serves): the gateway's
 * compute seconds per API key and model, the operator's busy seconds per model and allocated
 * GPU-seconds per pool.
 */
final class MeteredUsage {

  private final MeterRegistry gateway;
  private final MeterRegistry operator;

  MeteredUsage(BenchFleet fleet) {
    this.gateway = fleet.fleet().gateway().metrics();
    this.operator = fleet.fleet().operator().meterRegistry();
  }

  /** {@code kiln_gateway_compute_seconds_total} of the API key named {@code key}, over every model. */
  double computeSecondsOfKey(String key) {
    Set<String> tags = Set.of(key, BenchFleet.NAMESPACE + "/" + key);
    return gateway.find("kiln.gateway.compute").counters().stream()
        .filter(counter -> tags.contains(counter.getId().getTag("api_key"))).mapToDouble(Counter::count).sum();
  }

  /** {@code kiln_gateway_compute_seconds_total} of {@code model}, over every key. */
  double computeSecondsOfModel(String model) {
    return gateway.find("kiln.gateway.compute").tag("model", model).counters().stream().mapToDouble(Counter::count)
        .sum();
  }

  /** {@code kiln_model_busy_seconds_total} of {@code model}. */
  double busySeconds(String model) {
    return operator.find("kiln.model.busy.seconds").tag("model", model).functionCounters().stream()
        .mapToDouble(FunctionCounter::count).sum();
  }

  /** {@code kiln_pool_allocated_gpu_seconds_total} of {@code pool}, over its GPU types. */
  double allocatedGpuSeconds(String pool) {
    return operator.find("kiln.pool.allocated.gpu.seconds").tag("pool", pool).functionCounters().stream()
        .mapToDouble(FunctionCounter::count).sum();
  }
}
