package dev.kiln.operator.usage;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Allocated GPU-nanoseconds per pool and GPU type: the sum over worker pods of running time times
 * GPUs, including pods that have ended or vanished.
 *
 * <p>Pods still listed are kept as {@link PodSpan}s and recomputed from their timestamps on every
 * observation, so seeing the same status twice (after a restore, say) adds nothing. A pod that is
 * no longer listed has its last known span folded into {@code retired} and is forgotten, which
 * keeps the state as small as the set of live pods.
 *
 * <p>The exported total is the running maximum of that sum: a pod seen running at a time after
 * the finish its status later reports was briefly over-counted, and the maximum keeps the total
 * from dipping until the other pods' growth has caught up with it.
 */
final class AllocatedGpuTime {

  private Map<String, PodSpan> live;
  private final Map<PoolGpuType, BigInteger> retired;
  private final Map<PoolGpuType, BigInteger> exported;

  AllocatedGpuTime(Map<String, PodSpan> live, Map<PoolGpuType, BigInteger> retired, Map<PoolGpuType, BigInteger> exported) {
    this.live = new HashMap<>(live);
    this.retired = new HashMap<>(retired);
    this.exported = new HashMap<>(exported);
  }

  /**
   * Takes in every worker pod the cluster lists at {@code now}. Pods that have not started running
   * are skipped until they do.
   */
  void observe(Instant now, Collection<WorkerPod> pods) {
    Map<String, PodSpan> next = new HashMap<>();
    for (WorkerPod pod : pods) {
      PodSpan known = live.get(pod.uid());
      if (known != null) {
        next.put(pod.uid(), known.advance(pod, now));
      } else if (pod.runningSince() != null) {
        next.put(pod.uid(), PodSpan.first(pod, now));
      }
    }
    live.forEach((uid, span) -> {
      if (!next.containsKey(uid)) {
        retired.merge(span.key(), span.gpuNanos(), BigInteger::add);
      }
    });
    live = next;
    Map<PoolGpuType, BigInteger> current = new HashMap<>(retired);
    live.values().forEach(span -> current.merge(span.key(), span.gpuNanos(), BigInteger::add));
    current.forEach((key, gpuNanos) -> exported.merge(key, gpuNanos, BigInteger::max));
  }

  /** The pod with this UID, if it is listed and has run. */
  Optional<PodSpan> pod(String uid) {
    return Optional.ofNullable(live.get(uid));
  }

  /** Allocated GPU-nanoseconds so far; never lower than any earlier answer. */
  Map<PoolGpuType, BigInteger> gpuNanos() {
    return Map.copyOf(exported);
  }

  Map<String, PodSpan> live() {
    return Map.copyOf(live);
  }

  Map<PoolGpuType, BigInteger> retired() {
    return Map.copyOf(retired);
  }
}
