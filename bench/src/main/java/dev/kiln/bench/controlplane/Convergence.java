package dev.kiln.bench.controlplane;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.status.ConditionType;
import dev.kiln.crds.status.KilnStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Watches a namespace's GpuPools and Models until every one says, in a status for its current
 * generation, that it is as desired: each pool Ready with all its workers ready, each model Ready
 * with at least its minimum replicas resident. It notes the moment the last one got there, from
 * the watch events, without polling the API server.
 */
final class Convergence implements AutoCloseable {

  private final int expected;
  private final Map<String, Boolean> converged = new ConcurrentHashMap<>();
  private final CompletableFuture<Long> allConvergedAtNanos = new CompletableFuture<>();
  private final List<SharedIndexInformer<?>> informers;

  private Convergence(KubernetesClient client, String namespace, int pools, int models) {
    this.expected = pools + models;
    this.informers = List.of(
        client.resources(GpuPool.class).inNamespace(namespace).inform(new Tracker<>(Convergence::poolConverged), 0),
        client.resources(Model.class).inNamespace(namespace).inform(new Tracker<>(Convergence::modelConverged), 0));
  }

  /** Starts watching; call before the objects are applied. */
  static Convergence watch(KubernetesClient client, String namespace, int pools, int models) {
    return new Convergence(client, namespace, pools, models);
  }

  /**
   * Waits until everything has converged, for at most {@code timeout}; returns {@link System#nanoTime()}
   * at that moment, or empty when it had not by then.
   */
  OptionalLong await(Duration timeout) throws InterruptedException {
    try {
      return OptionalLong.of(allConvergedAtNanos.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return OptionalLong.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** How many of the pools and models are as desired now. */
  int convergedCount() {
    return (int) converged.values().stream().filter(Boolean::booleanValue).count();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  private static boolean poolConverged(GpuPool pool) {
    var status = pool.getStatus();
    return current(pool, status) && ready(status)
        && Objects.equals(status.getReadyWorkers(), pool.getSpec().getWorkers().getMin());
  }

  private static boolean modelConverged(Model model) {
    var status = model.getStatus();
    return current(model, status) && ready(status)
        && Objects.requireNonNullElse(status.getResidentReplicas(), 0) >= model.getSpec().getResidency().getMinReplicas();
  }

  private static boolean current(HasMetadata resource, KilnStatus status) {
    return status != null && Objects.equals(status.getObservedGeneration(), resource.getMetadata().getGeneration());
  }

  private static boolean ready(KilnStatus status) {
    return status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> ConditionType.READY.type().equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private final class Tracker<T extends HasMetadata> implements ResourceEventHandler<T> {

    private final Predicate<T> isConverged;

    Tracker(Predicate<T> isConverged) {
      this.isConverged = isConverged;
    }

    @Override
    public void onAdd(T resource) {
      seen(resource);
    }

    @Override
    public void onUpdate(T previous, T resource) {
      seen(resource);
    }

    @Override
    public void onDelete(T resource, boolean finalStateUnknown) {
      converged.remove(key(resource));
    }

    private void seen(T resource) {
      converged.put(key(resource), isConverged.test(resource));
      if (converged.size() == expected && !converged.containsValue(false)) {
        allConvergedAtNanos.complete(System.nanoTime());
      }
    }

    private static String key(HasMetadata resource) {
      return resource.getKind() + "/" + resource.getMetadata().getName();
    }
  }
}
