package dev.kiln.bench.metering;

import dev.kiln.crds.worker.WorkerPodMetadata;
import dev.kiln.operator.pool.WorkerPodTemplate;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The ground truth of allocated GPU time, watched independently of the operator: for every worker
 * pod, from its runtime container's start to its end (the container's {@code finishedAt}, else the
 * moment the watch saw the pod deleted), times its pool's GPUs per worker.
 */
final class PodAllocations implements AutoCloseable {

  /** One pod's allocation as last seen; {@code end} null while it runs. */
  private record Allocation(String pool, Instant start, Instant end) {

    Allocation ended(Instant at) {
      return end != null ? this : new Allocation(pool, start, at);
    }
  }

  private final Map<String, Allocation> pods = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Pod> informer;

  private PodAllocations(KubernetesClient admin, String namespace) {
    informer = admin.pods().inNamespace(namespace).withLabel(WorkerPodMetadata.POOL).inform(new Watch());
  }

  /** Starts watching the worker pods of every pool in {@code namespace}. */
  static PodAllocations watch(KubernetesClient admin, String namespace) {
    return new PodAllocations(admin, namespace);
  }

  /** How many worker pods of {@code pool} have run. */
  long pods(String pool) {
    return pods.values().stream().filter(pod -> pod.pool().equals(pool)).count();
  }

  /** How many worker pods are still running. */
  long running() {
    return pods.values().stream().filter(pod -> pod.end() == null).count();
  }

  /** GPU-seconds allocated to {@code pool}, up to {@code now} for pods still running. */
  double gpuSeconds(String pool, ToIntFunction<String> gpusPerWorker, Instant now) {
    return pods.values().stream().filter(pod -> pod.pool().equals(pool))
        .mapToDouble(pod -> Duration.between(pod.start(), Objects.requireNonNullElse(pod.end(), now)).toNanos() / 1e9
            * gpusPerWorker.applyAsInt(pool))
        .sum();
  }

  private void seen(Pod pod, boolean deleted) {
    String uid = pod.getMetadata().getUid();
    ContainerStatus runtime = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? null
        : pod.getStatus().getContainerStatuses().stream()
        .filter(status -> WorkerPodTemplate.CONTAINER.equals(status.getName())).findFirst().orElse(null);
    Instant started = runtime == null || runtime.getState() == null ? null : startedAt(runtime);
    Instant finished = runtime == null || runtime.getState() == null || runtime.getState().getTerminated() == null
        ? null : Instant.parse(runtime.getState().getTerminated().getFinishedAt());
    pods.compute(uid, (key, known) -> {
      Allocation now = known;
      if (now == null && started != null) {
        now = new Allocation(pod.getMetadata().getLabels().get(WorkerPodMetadata.POOL), started, null);
      }
      if (now != null && finished != null) {
        now = now.ended(finished);
      }
      if (now != null && deleted) {
        now = now.ended(Instant.now());
      }
      return now;
    });
  }

  private static Instant startedAt(ContainerStatus runtime) {
    if (runtime.getState().getRunning() != null) {
      return Instant.parse(runtime.getState().getRunning().getStartedAt());
    }
    if (runtime.getState().getTerminated() != null && runtime.getState().getTerminated().getStartedAt() != null) {
      return Instant.parse(runtime.getState().getTerminated().getStartedAt());
    }
    return null;
  }

  private final class Watch implements ResourceEventHandler<Pod> {

    @Override
    public void onAdd(Pod pod) {
      seen(pod, false);
    }

    @Override
    public void onUpdate(Pod before, Pod after) {
      seen(after, false);
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      seen(pod, true);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
