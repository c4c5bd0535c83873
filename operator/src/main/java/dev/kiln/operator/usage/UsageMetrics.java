package dev.kiln.operator.usage;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Exports a {@link UsageMeter}'s totals as Prometheus counters, read at scrape time:
 *
 * <ul>
 *   <li>{@code kiln_pool_allocated_gpu_seconds_total{namespace,pool,gpu_type}}
 *   <li>{@code kiln_model_busy_seconds_total{namespace,pool,model}}
 *   <li>{@code kiln_pool_idle_gpu_seconds_total{namespace,pool}}
 *   <li>{@code kiln_pool_cost_total{namespace,pool,currency}}
 * </ul>
 *
 * Series appear as their pools, models and currencies first show up in the totals: call
 * {@link #refresh()} after feeding the meter.
 */
public final class UsageMetrics implements MeterBinder {

  static final String ALLOCATED = "kiln.pool.allocated.gpu.seconds";
  static final String BUSY = "kiln.model.busy.seconds";
  static final String IDLE = "kiln.pool.idle.gpu.seconds";
  static final String COST = "kiln.pool.cost";

  private final UsageMeter meter;
  private final List<MeterRegistry> registries = new ArrayList<>();
  private final Set<Object> registered = new HashSet<>();

  public UsageMetrics(UsageMeter meter) {
    this.meter = meter;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    registries.add(registry);
    registered.forEach(key -> register(registry, key));
  }

  /** Registers the series of pools, models and currencies that are new since the last call. */
  public synchronized void refresh() {
    UsageTotals totals = meter.totals();
    List<Object> keys = new ArrayList<>();
    keys.addAll(totals.allocatedGpuNanos().keySet());
    keys.addAll(totals.busyNanos().keySet());
    totals.idleGpuNanos().keySet().forEach(pool -> keys.add(new Idle(pool)));
    keys.addAll(totals.cost().keySet());
    for (Object key : keys) {
      if (registered.add(key)) {
        registries.forEach(registry -> register(registry, key));
      }
    }
  }

  /** Idle time is keyed by pool alone; this tells it apart from other per-pool keys. */
  private record Idle(PoolRef pool) {}

  private void register(MeterRegistry registry, Object key) {
    switch (key) {
      case PoolGpuType k -> counter(ALLOCATED, "GPU-seconds allocated to the pool's worker pods", k.pool(), nanos(UsageTotals::allocatedGpuNanos, k))
          .tag("gpu_type", k.gpuType()).register(registry);
      case PoolModel k -> counter(BUSY, "Seconds the runtimes spent serving the model's requests", k.pool(), nanos(UsageTotals::busyNanos, k))
          .tag("model", k.model()).register(registry);
      case Idle k -> counter(IDLE, "GPU-seconds allocated to the pool but not busy", k.pool(), nanos(UsageTotals::idleGpuNanos, k.pool()))
          .register(registry);
      case PoolCurrency k -> counter(COST, "Allocated GPU-seconds priced at the pool's pricePerGpuSecond", k.pool(), amount(k))
          .tag("currency", k.currency()).register(registry);
      default -> throw new IllegalArgumentException("not a usage key: " + key);
    }
  }

  private FunctionCounter.Builder<UsageMeter> counter(String name, String description, PoolRef pool, Function<UsageMeter, Double> value) {
    return FunctionCounter.builder(name, meter, value::apply)
        .description(description)
        .tag("namespace", pool.namespace())
        .tag("pool", pool.name());
  }

  private static <K> Function<UsageMeter, Double> nanos(Function<UsageTotals, Map<K, BigInteger>> totals, K key) {
    return meter -> UsageTotals.seconds(totals.apply(meter.totals()).getOrDefault(key, BigInteger.ZERO));
  }

  private static Function<UsageMeter, Double> amount(PoolCurrency key) {
    return meter -> meter.totals().cost().getOrDefault(key, BigDecimal.ZERO).doubleValue();
  }
}
