package dev.kiln.operator.usage;

import dev.kiln.operator.pool.PoolLabels;
import dev.kiln.operator.pool.WorkerPodTemplate;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads a worker pod's status as a {@link WorkerPod}.
 *
 * <ul>
 *   <li>GPUs: the runtime container's limit of the pool's GPU resource.
 *   <li>Running since: the earliest {@code startedAt} among the runtime container's current and
 *       last state, so a restarted container still counts from its first start.
 *   <li>Finished at: once the container has terminated and will not run again (the pod failed,
 *       succeeded or is being deleted), its {@code finishedAt}; a failed pod whose status shows no
 *       terminated container finished when it stopped being Ready.
 *   <li>GPU type: its node's {@value #GPU_PRODUCT} label (set by NVIDIA's GPU feature discovery),
 *       else {@link WorkerPod#UNKNOWN_GPU_TYPE}, as for a pod not scheduled yet.
 * </ul>
 */
public final class WorkerPodStatus {

  /** The node label that names its GPU model. */
  public static final String GPU_PRODUCT = "nvidia.com/gpu.product";

  private WorkerPodStatus() {}

  /**
   * The pod as the meter sees it, or empty when it is not a pool's worker.
   *
   * @param gpuResources each pool's GPU resource name; null for the default
   * @param gpuTypeByNode the {@value #GPU_PRODUCT} label of the nodes that carry one
   */
  public static Optional<WorkerPod> of(Pod pod, Function<PoolRef, String> gpuResources, Map<String, String> gpuTypeByNode) {
    var labels = pod.getMetadata().getLabels();
    String pool = labels == null ? null : labels.get(PoolLabels.POOL);
    if (pool == null) {
      return Optional.empty();
    }
    PoolRef ref = new PoolRef(pod.getMetadata().getNamespace(), pool);
    String resource = Objects.requireNonNullElse(gpuResources.apply(ref), WorkerPodTemplate.DEFAULT_GPU_RESOURCE);
    Optional<ContainerStatus> runtime = runtimeStatus(pod);
    return Optional.of(new WorkerPod(
        pod.getMetadata().getUid(),
        ref,
        gpuTypeByNode.getOrDefault(Objects.requireNonNullElse(pod.getSpec().getNodeName(), ""), WorkerPod.UNKNOWN_GPU_TYPE),
        gpus(pod, resource),
        runtime.flatMap(WorkerPodStatus::runningSince).orElse(null),
        finishedAt(pod, runtime).orElse(null)));
  }

  private static int gpus(Pod pod, String resource) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> WorkerPodTemplate.CONTAINER.equals(c.getName()))
        .findFirst()
        .map(c -> c.getResources() == null || c.getResources().getLimits() == null ? null : c.getResources().getLimits().get(resource))
        .map(q -> Quantity.getAmountInBytes(q).intValueExact())
        .orElse(0);
  }

  private static Optional<ContainerStatus> runtimeStatus(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> WorkerPodTemplate.CONTAINER.equals(s.getName()))
        .findFirst();
  }

  private static Optional<Instant> runningSince(ContainerStatus status) {
    return Stream.of(status.getState(), status.getLastState())
        .filter(Objects::nonNull)
        .flatMap(state -> Stream.of(
            state.getRunning() == null ? null : state.getRunning().getStartedAt(),
            state.getTerminated() == null ? null : state.getTerminated().getStartedAt()))
        .filter(Objects::nonNull)
        .map(Instant::parse)
        .min(Instant::compareTo);
  }

  private static Optional<Instant> finishedAt(Pod pod, Optional<ContainerStatus> runtime) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean over = "Failed".equals(phase) || "Succeeded".equals(phase);
    if (!over && pod.getMetadata().getDeletionTimestamp() == null) {
      return Optional.empty();
    }
    Optional<Instant> terminated = runtime.map(ContainerStatus::getState)
        .map(ContainerState::getTerminated)
        .map(ContainerStateTerminated::getFinishedAt)
        .filter(Objects::nonNull)
        .map(Instant::parse);
    if (terminated.isPresent() || !over) {
      return terminated;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions == null ? Optional.empty() : conditions.stream()
        .filter(c -> "Ready".equals(c.getType()) && c.getLastTransitionTime() != null)
        .map(c -> Instant.parse(c.getLastTransitionTime()))
        .findFirst();
  }
}
