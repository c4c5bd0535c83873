package dev.kiln.operator.usage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The operator's usage ledger: allocated GPU time from worker pods' status, busy time from the
 * runtimes' counters, and from them idle GPU time and cost. Time is an input; nothing here reads a
 * clock or the network. Thread-safe: updates are serialised and readers get immutable
 * {@link UsageTotals}.
 *
 * <p><b>Idle</b> GPU-nanoseconds of a pool are the running maximum of its allocated GPU-nanoseconds
 * minus its busy GPU-nanoseconds (each busy nanosecond times the GPUs of the worker that reported
 * it), floored at zero. That difference dips whenever busy time arrives after the allocated time
 * it falls in (pods are observed before their runtimes are sampled) or runs ahead of it (several
 * models busy at once on one worker); idle then holds still rather than falling, and equals the
 * difference again once the difference passes its earlier peak. So idle is never below allocated
 * minus busy, and above it by at most the deepest such dip, typically one observation interval's
 * allocation.
 *
 * <p><b>Cost</b> accrues as allocated GPU time grows, at the pool's price at that moment, so a price
 * change never rewrites the past and the total never falls; a currency change starts a new series.
 */
public final class UsageMeter {

  private final AllocatedGpuTime allocated;
  private final BusyTimeMeter busy;
  private final Map<PoolRef, BigInteger> idleGpuNanos;
  private final Map<PoolCurrency, BigDecimal> cost;
  private volatile UsageTotals totals;

  /** A meter that has counted nothing yet. */
  public UsageMeter() {
    this(UsageCheckpoint.EMPTY);
  }

  /**
   * A meter that carries on from a checkpoint. The last observations the checkpointed meter took in
   * may be fed again, as may any newer ones: pods are recomputed from their timestamps and counters
   * compared with their last value. Older pod listings must not be, since a pod listed there that
   * has vanished since would count again.
   */
  public UsageMeter(UsageCheckpoint checkpoint) {
    allocated = new AllocatedGpuTime(checkpoint.livePods(), checkpoint.retiredGpuNanosByKey(), checkpoint.allocatedGpuNanosByKey());
    busy = new BusyTimeMeter(checkpoint.counters(), checkpoint.busyNanosByKey(), checkpoint.busyGpuNanosByPool());
    idleGpuNanos = new HashMap<>(checkpoint.idleGpuNanosByPool());
    cost = new HashMap<>(checkpoint.costByKey());
    publish();
  }

  /**
   * Takes in every worker pod the cluster lists at {@code now}, with the prices of the pools.
   * Listings come in the order they were taken.
   * Pods not listed are gone: their allocation is kept and their runtimes' counters are forgotten.
   * Allocation of a pool without a price accrues no cost.
   */
  public synchronized void observePods(Instant now, Collection<WorkerPod> pods, Map<PoolRef, PoolPrice> prices) {
    Map<PoolRef, BigInteger> before = byPool(allocated.gpuNanos());
    allocated.observe(now, pods);
    byPool(allocated.gpuNanos()).forEach((pool, gpuNanos) -> {
      BigInteger increase = gpuNanos.subtract(before.getOrDefault(pool, BigInteger.ZERO));
      PoolPrice price = prices.get(pool);
      if (price != null && increase.signum() > 0) {
        BigDecimal amount = new BigDecimal(increase, 9).multiply(price.pricePerGpuSecond());
        cost.merge(new PoolCurrency(pool, price.currency()), amount, BigDecimal::add);
      }
    });
    busy.retainWorkers(allocated.live().keySet());
    publish();
  }

  /**
   * Takes in one {@code /stats} sample of a worker pod: cumulative busy nanoseconds by model name.
   * A sample from a pod that the last {@link #observePods} did not list, or listed before it ran, is dropped (a
   * late answer from a pod already gone would otherwise count again from zero); its counters are
   * cumulative, so nothing is lost once the pod is listed.
   *
   * @return whether the sample was taken in
   */
  public synchronized boolean recordStats(String podUid, Map<String, Long> busyNanosByModel) {
    return allocated.pod(podUid).map(pod -> {
      busy.record(podUid, pod.key().pool(), pod.gpus(), busyNanosByModel);
      publish();
      return true;
    }).orElse(false);
  }

  /** The totals so far. */
  public UsageTotals totals() {
    return totals;
  }

  /** All the state needed to carry on elsewhere without counting anything twice. */
  public synchronized UsageCheckpoint checkpoint() {
    return UsageCheckpoint.of(
        allocated.live(), allocated.retired(), allocated.gpuNanos(),
        busy.counters(), busy.busyNanos(), busy.busyGpuNanos(), idleGpuNanos, cost);
  }

  private void publish() {
    Map<PoolRef, BigInteger> allocatedByPool = byPool(allocated.gpuNanos());
    Map<PoolRef, BigInteger> busyGpu = busy.busyGpuNanos();
    Set<PoolRef> pools = new HashSet<>(allocatedByPool.keySet());
    pools.addAll(busyGpu.keySet());
    for (PoolRef pool : pools) {
      BigInteger unused = allocatedByPool.getOrDefault(pool, BigInteger.ZERO).subtract(busyGpu.getOrDefault(pool, BigInteger.ZERO));
      idleGpuNanos.merge(pool, unused.max(BigInteger.ZERO), BigInteger::max);
    }
    totals = new UsageTotals(allocated.gpuNanos(), busy.busyNanos(), idleGpuNanos, cost);
  }

  private static Map<PoolRef, BigInteger> byPool(Map<PoolGpuType, BigInteger> gpuNanos) {
    Map<PoolRef, BigInteger> byPool = new HashMap<>();
    gpuNanos.forEach((key, value) -> byPool.merge(key.pool(), value, BigInteger::add));
    return byPool;
  }
}
