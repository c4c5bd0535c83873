package dev.kiln.gateway.routing;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;

/**
 * What routing reads from a worker pod. The labels and annotations are the operator's contract
 * (see DESIGN.md, "Cluster state is the source of truth"); the gateway reads them, never writes them.
 */
final class WorkerPodFacts {

  static final String POOL = "kiln.dev/pool";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String KILN = "kiln";
  static final String DRAINING = "kiln.dev/draining";
  /** {@code name=version} entries separated by commas, e.g. {@code resnet=3f2a9c01b2d4,sd=77aa01ff9e10}. */
  static final String RESIDENT_MODELS = "kiln.dev/resident-models";

  private WorkerPodFacts() {}

  /**
   * The worker, when the pod can take requests now: managed by Kiln, Ready, not being deleted,
   * not draining, and with a pod IP.
   */
  static Optional<Worker> routable(Pod pod) {
    var meta = pod.getMetadata();
    boolean takesRequests = KILN.equals(label(pod, MANAGED_BY))
        && meta.getDeletionTimestamp() == null
        && (meta.getAnnotations() == null || !meta.getAnnotations().containsKey(DRAINING))
        && ready(pod)
        && pod.getStatus().getPodIP() != null
        && !pod.getStatus().getPodIP().isBlank();
    return takesRequests ? Optional.of(new Worker(meta.getName(), meta.getUid(), pod.getStatus().getPodIP())) : Optional.empty();
  }

  static String pool(Pod pod) {
    return label(pod, POOL);
  }

  /** The version of {@code model} resident on the pod, if any. Malformed entries are skipped, as the operator does. */
  static Optional<String> residentVersion(Pod pod, String model) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(RESIDENT_MODELS);
    if (value == null) {
      return Optional.empty();
    }
    for (String entry : value.split(",")) {
      int equals = entry.indexOf('=');
      if (equals > 0 && entry.substring(0, equals).strip().equals(model)) {
        String version = entry.substring(equals + 1).strip();
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
      }
    }
    return Optional.empty();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
