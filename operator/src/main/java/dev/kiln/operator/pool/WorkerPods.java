package dev.kiln.operator.pool;

import dev.kiln.crds.worker.WorkerPodMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Optional;

/** What the operator reads from a worker pod's status. */
public final class WorkerPods {

  /**
   * Set on a worker the pool reconciler means to remove, to the time it was marked: the planner
   * places nothing new there and re-places its models before it goes.
   */
  public static final String DRAINING = WorkerPodMetadata.DRAINING;

  private WorkerPods() {}

  /** Being deleted: no longer a worker, already replaced. */
  public static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** Its container ended for good (a pod of restartPolicy Always fails only when evicted or its node is lost). */
  public static boolean failed(Pod pod) {
    return pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase());
  }

  /** Counts as one of the pool's workers: neither failed nor being deleted. */
  public static boolean live(Pod pod) {
    return !terminating(pod) && !failed(pod);
  }

  /** Marked for removal with {@value #DRAINING}. */
  public static boolean draining(Pod pod) {
    return pod.getMetadata().getAnnotations() != null && pod.getMetadata().getAnnotations().containsKey(DRAINING);
  }

  public static boolean ready(Pod pod) {
    return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** The scheduler's message when it found no node for the pod. */
  static Optional<String> unschedulable(Pod pod) {
    return condition(pod, "PodScheduled")
        .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()))
        .map(PodCondition::getMessage);
  }

  private static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
