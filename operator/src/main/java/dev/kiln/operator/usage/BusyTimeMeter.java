package dev.kiln.operator.usage;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Busy nanoseconds per model and pool from the runtimes' cumulative {@code busyNanos} counters.
 *
 * <p>Each sample is compared with the worker's previous one, and the increase is added, as
 * Prometheus' {@code increase()} does. A runtime keeps every model's counters for its whole life
 * (across unloads and reloads), so one counter lower than before, or a model missing, means the
 * runtime restarted: then all of the worker's counters count from zero. A restart is only visible
 * that way; one whose counters have all climbed past their old values by the next sample is taken
 * for growth, which under-counts and never over-counts. A worker's first sample counts from zero,
 * since its runtime's counters started there.
 *
 * <p>Alongside, busy GPU-nanoseconds per pool: each increase times the worker's GPUs.
 */
final class BusyTimeMeter {

  private final Map<String, Map<String, Long>> counters;
  private final Map<PoolModel, BigInteger> busyNanos;
  private final Map<PoolRef, BigInteger> busyGpuNanos;

  BusyTimeMeter(Map<String, Map<String, Long>> counters, Map<PoolModel, BigInteger> busyNanos, Map<PoolRef, BigInteger> busyGpuNanos) {
    this.counters = new HashMap<>(counters);
    this.busyNanos = new HashMap<>(busyNanos);
    this.busyGpuNanos = new HashMap<>(busyGpuNanos);
  }

  /** Takes in one {@code /stats} sample of a worker: cumulative busy nanoseconds by model. */
  void record(String worker, PoolRef pool, int gpus, Map<String, Long> sample) {
    sample.forEach((model, value) -> {
      if (value < 0) {
        throw new IllegalArgumentException("worker " + worker + ", model " + model + ": busyNanos must be >= 0");
      }
    });
    Map<String, Long> previous = counters.getOrDefault(worker, Map.of());
    boolean restarted = previous.entrySet().stream().anyMatch(last -> sample.getOrDefault(last.getKey(), -1L) < last.getValue());
    sample.forEach((model, value) -> {
      BigInteger increase = BigInteger.valueOf(value - (restarted ? 0 : previous.getOrDefault(model, 0L)));
      busyNanos.merge(new PoolModel(pool, model), increase, BigInteger::add);
      busyGpuNanos.merge(pool, increase.multiply(BigInteger.valueOf(gpus)), BigInteger::add);
    });
    counters.put(worker, new TreeMap<>(sample));
  }

  /** Forgets the counters of workers that are gone; what they counted stays in the totals. */
  void retainWorkers(Set<String> workers) {
    counters.keySet().retainAll(workers);
  }

  Map<String, Map<String, Long>> counters() {
    return Map.copyOf(counters);
  }

  Map<PoolModel, BigInteger> busyNanos() {
    return Map.copyOf(busyNanos);
  }

  Map<PoolRef, BigInteger> busyGpuNanos() {
    return Map.copyOf(busyGpuNanos);
  }
}
