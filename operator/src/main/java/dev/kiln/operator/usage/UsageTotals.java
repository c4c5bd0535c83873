package dev.kiln.operator.usage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Cumulative usage at one moment, exact: nanoseconds as integers and cost as a decimal. Every value
 * is at least what any earlier snapshot of the same meter held.
 *
 * @param allocatedGpuNanos GPU-nanoseconds allocated to worker pods, per pool and GPU type
 * @param busyNanos nanoseconds the runtimes spent on requests, per pool and model
 * @param idleGpuNanos GPU-nanoseconds allocated but not busy, per pool (see {@link UsageMeter})
 * @param cost allocated GPU-seconds times the pool's price, per pool and currency
 */
public record UsageTotals(
    Map<PoolGpuType, BigInteger> allocatedGpuNanos,
    Map<PoolModel, BigInteger> busyNanos,
    Map<PoolRef, BigInteger> idleGpuNanos,
    Map<PoolCurrency, BigDecimal> cost) {

  public UsageTotals {
    allocatedGpuNanos = Map.copyOf(allocatedGpuNanos);
    busyNanos = Map.copyOf(busyNanos);
    idleGpuNanos = Map.copyOf(idleGpuNanos);
    cost = Map.copyOf(cost);
  }

  /** Nanoseconds as seconds, rounded only here, at the edge. */
  public static double seconds(BigInteger nanos) {
    return new BigDecimal(nanos, 9).doubleValue();
  }
}
