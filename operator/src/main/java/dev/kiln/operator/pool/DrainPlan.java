package dev.kiln.operator.pool;

import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.crds.worker.WorkerPodMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decisions of removing a Ready worker without losing a replica: it is first marked
 * {@value WorkerPods#DRAINING}, so its models are placed elsewhere; it may go once every model it
 * holds has its replicas resident on other workers; its runtime is then drained
 * ({@value #DRAIN_REQUESTED} records when) and it is deleted once idle or after a timeout.
 */
final class DrainPlan {

  /** Set on a draining worker to the time its runtime was asked to drain: from then on it refuses new work. */
  static final String DRAIN_REQUESTED = WorkerPodMetadata.DRAIN_REQUESTED;

  private DrainPlan() {}

  /** Whether a worker to remove is drained first: a Ready one may serve; a failed or starting one goes at once. */
  static boolean drainsFirst(Pod pod) {
    return WorkerPods.ready(pod) && WorkerPods.live(pod);
  }

  /**
   * Whether no model still needs {@code worker}: each model it holds has at least its target
   * replicas resident on other workers that are Ready, live and not draining, or is no longer
   * wanted.
   *
   * @param targetReplicas the replicas each wanted model should have, by name
   */
  static boolean mayGo(Pod worker, List<Pod> pods, Map<String, Integer> targetReplicas) {
    List<Set<String>> others = pods.stream()
        .filter(pod -> !pod.getMetadata().getName().equals(worker.getMetadata().getName()))
        .filter(pod -> WorkerPods.live(pod) && WorkerPods.ready(pod) && !WorkerPods.draining(pod))
        .map(DrainPlan::resident)
        .toList();
    return resident(worker).stream().allMatch(model ->
        others.stream().filter(held -> held.contains(model)).count() >= targetReplicas.getOrDefault(model, 0));
  }

  /** Whether the worker's runtime was asked to drain; such a worker is not taken back. */
  static boolean drainRequested(Pod pod) {
    return annotation(pod, DRAIN_REQUESTED) != null;
  }

  /**
   * Whether a worker whose runtime was asked to drain at {@code requested} may be deleted: it has
   * nothing in flight, or it had {@code timeout} to finish.
   *
   * @param inFlight its requests in flight, negative when unknown
   */
  static boolean finished(int inFlight, Instant requested, Instant now, Duration timeout) {
    return inFlight == 0 || !now.isBefore(requested.plus(timeout));
  }

  /**
   * The draining workers to take back when the pool has fewer active (not draining) workers than
   * {@code desired}: those made from the current template (hash {@code hash}) whose runtime still
   * accepts work, oldest first, as many as are missing. A worker with an old template is replaced
   * instead.
   */
  static List<Pod> toUnmark(List<Pod> pods, int desired, String hash) {
    long active = pods.stream().filter(pod -> WorkerPods.live(pod) && !WorkerPods.draining(pod)).count();
    return pods.stream()
        .filter(pod -> WorkerPods.live(pod) && WorkerPods.draining(pod) && !drainRequested(pod))
        .filter(pod -> RolloutPlan.current(pod, hash))
        .sorted(Comparator.comparing(DrainPlan::created).thenComparing(pod -> pod.getMetadata().getName()))
        .limit(Math.max(0, desired - active))
        .toList();
  }

  static String annotation(Pod pod, String key) {
    return pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(key);
  }

  private static Set<String> resident(Pod pod) {
    return ResidencyAnnotations.read(pod.getMetadata().getAnnotations(), ResidencyAnnotations.RESIDENT).keySet();
  }

  private static String created(Pod pod) {
    return pod.getMetadata().getCreationTimestamp() == null ? "" : pod.getMetadata().getCreationTimestamp();
  }
}
