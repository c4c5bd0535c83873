package dev.kiln.operator.pool;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What to do to a pool's worker pods to reach the desired count: delete failed pods (they are
 * replaced), create the missing ones, and when there are too many remove the newest pods that
 * are not Ready first, then the newest Ready ones (a young worker holds the least; choosing the
 * idlest, drained worker comes with the autoscaler).
 */
record ScalePlan(int toCreate, List<Pod> toDelete) {

  private static final Comparator<Pod> REMOVE_FIRST = Comparator
      .comparing(WorkerPods::ready)
      .thenComparing(Comparator.comparing(ScalePlan::created).reversed())
      .thenComparing(pod -> pod.getMetadata().getName());

  static ScalePlan of(List<Pod> pods, int desired) {
    List<Pod> toDelete = new ArrayList<>(pods.stream().filter(p -> !WorkerPods.terminating(p) && WorkerPods.failed(p)).toList());
    List<Pod> live = pods.stream()
        .filter(WorkerPods::live)
        .sorted(REMOVE_FIRST)
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
