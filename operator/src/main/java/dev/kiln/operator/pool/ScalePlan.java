package dev.kiln.operator.pool;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * What to do to a pool's worker pods to reach the desired count: delete failed pods (they are
 * replaced), create the missing ones, and when there are too many remove first the pods that are
 * not Ready, then those made from an old template, then those the residency plan leaves empty, each
 * newest first (a young worker holds
 * the least). The reconciler passes only workers that are not draining, and drains the Ready ones
 * of {@link #toDelete} rather than deleting them ({@link DrainPlan}).
 */
record ScalePlan(int toCreate, List<Pod> toDelete) {

  /**
   * @param placed the workers the residency plan puts models on
   * @param hash the current template's hash: workers made from an old one are removed first
   */
  static ScalePlan of(List<Pod> pods, int desired, Set<String> placed, String hash) {
    Comparator<Pod> removeFirst = Comparator
        .comparing(WorkerPods::ready)
        .thenComparing(pod -> RolloutPlan.current(pod, hash))
        .thenComparing(pod -> placed.contains(pod.getMetadata().getName()))
        .thenComparing(Comparator.comparing(ScalePlan::created).reversed())
        .thenComparing(pod -> pod.getMetadata().getName());
    List<Pod> toDelete = new ArrayList<>(pods.stream().filter(p -> !WorkerPods.terminating(p) && WorkerPods.failed(p)).toList());
    List<Pod> live = pods.stream()
        .filter(WorkerPods::live)
        .sorted(removeFirst)
        .toList();
    int excess = Math.max(0, live.size() - desired);
    toDelete.addAll(live.subList(0, excess));
    return new ScalePlan(Math.max(0, desired - live.size()), List.copyOf(toDelete));
  }

  /** Creation time as RFC 3339 text, which sorts in time order at the API server's one-second precision. */
  private static String created(Pod pod) {
    return pod.getMetadata().getCreationTimestamp() == null ? "" : pod.getMetadata().getCreationTimestamp();
  }
}
