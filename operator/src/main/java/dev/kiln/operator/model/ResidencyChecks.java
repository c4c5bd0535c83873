package dev.kiln.operator.model;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which {@code resident-models} entries were confirmed against the worker's runtime
 * since its container last started. A runtime that restarts inside the same pod comes back empty
 * while the annotation still lists its models; the pod's restart count tells the two apart, so an
 * entry is checked once after the operator starts and once after each restart, not on every
 * reconcile. Held in memory: a restarted operator checks everything once more.
 */
final class ResidencyChecks {

  /** Pod UID and model name to the pod's restart count when the entry was confirmed. */
  private final Map<String, Integer> confirmed = new ConcurrentHashMap<>();

  /** Whether {@code model}'s entry on {@code pod} must be checked against the runtime. */
  boolean needed(Pod pod, String model) {
    return !Objects.equals(confirmed.get(key(pod, model)), restarts(pod));
  }

  /** The runtime on {@code pod} holds {@code model} as its entry says. */
  void confirmed(Pod pod, String model) {
    confirmed.put(key(pod, model), restarts(pod));
  }

  /** Forgets {@code model}'s entries on pods other than {@code pods}, which are gone. */
  void retain(String model, Collection<Pod> pods) {
    var keep = pods.stream().map(pod -> key(pod, model)).toList();
    confirmed.keySet().removeIf(key -> key.endsWith("/" + model) && !keep.contains(key));
  }

  /** Restarts of the pod's containers, summed. */
  static int restarts(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getRestartCount)
        .filter(Objects::nonNull)
        .mapToInt(Integer::intValue)
        .sum();
  }

  private static String key(Pod pod, String model) {
    return pod.getMetadata().getUid() + "/" + model;
  }
}
