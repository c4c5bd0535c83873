package dev.kiln.gateway.routing;

import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.crds.worker.WorkerPodMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;

/** What routing reads from a worker pod, through the labels and annotations the operator writes. */
final class WorkerPodFacts {

  private WorkerPodFacts() {}

  /**
   * The worker, when the pod can take requests now: managed by Kiln, Ready, not being deleted,
   * its runtime not asked to drain, and with a pod IP. A worker marked draining serves on while its
   * models are loaded elsewhere.
   */
  static Optional<Worker> routable(Pod pod) {
    var meta = pod.getMetadata();
    boolean takesRequests = WorkerPodMetadata.KILN.equals(label(pod, WorkerPodMetadata.MANAGED_BY))
        && meta.getDeletionTimestamp() == null
        && (meta.getAnnotations() == null || !meta.getAnnotations().containsKey(WorkerPodMetadata.DRAIN_REQUESTED))
        && ready(pod)
        && pod.getStatus().getPodIP() != null
        && !pod.getStatus().getPodIP().isBlank();
    return takesRequests ? Optional.of(new Worker(meta.getName(), meta.getUid(), pod.getStatus().getPodIP())) : Optional.empty();
  }

  static String pool(Pod pod) {
    return label(pod, WorkerPodMetadata.POOL);
  }

  /** Whether the pod holds {@code version} of {@code model} warm: serving, or staged beside the version serving. */
  static boolean holds(Pod pod, String model, String version) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return version.equals(ResidencyAnnotations.read(annotations, ResidencyAnnotations.RESIDENT).get(model))
        || version.equals(ResidencyAnnotations.read(annotations, ResidencyAnnotations.STAGED).get(model));
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
