package dev.kiln.operator.usage;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the meter knows of one pod's GPU allocation: from {@code start} to {@code end}, where
 * {@code end} is the pod's finish time once {@code ended}, and the latest time it was seen holding
 * its GPUs before that. Neither bound ever moves backwards while the pod runs, so its contribution
 * only grows, and once ended it is fixed.
 */
public record PodSpan(
    String uid, PoolGpuType key, int gpus, Instant start, Instant end, boolean ended) {

  public PodSpan {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  /** The span of a pod seen for the first time; the pod must have started running. */
  static PodSpan first(WorkerPod pod, Instant now) {
    boolean ended = pod.finishedAt() != null;
    return new PodSpan(pod.uid(), pod.key(), pod.gpus(), pod.runningSince(), ended ? pod.finishedAt() : now, ended);
  }

  /** This span after seeing the pod again at {@code now}. */
  PodSpan advance(WorkerPod pod, Instant now) {
    if (ended) {
      return this;
    }
    Instant earliest = pod.runningSince() == null || start.isBefore(pod.runningSince()) ? start : pod.runningSince();
    if (pod.finishedAt() != null) {
      return new PodSpan(uid, key, gpus, earliest, pod.finishedAt(), true);
    }
    return new PodSpan(uid, key, gpus, earliest, end.isAfter(now) ? end : now, false);
  }

  /** GPU-nanoseconds allocated, zero when the clocks disagree and the end precedes the start. */
  BigInteger gpuNanos() {
    if (!end.isAfter(start)) {
      return BigInteger.ZERO;
    }
    return BigInteger.valueOf(Duration.between(start, end).toNanos()).multiply(BigInteger.valueOf(gpus));
  }
}
