package dev.kiln.gateway.routing;

import dev.kiln.crds.model.Model;
import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of which workers serve which model, built from the cluster's Models and
 * worker pods. A model is routed only to workers where it is resident at the Model's
 * {@code status.version}: the operator writes that version and the resident annotations from the
 * same hash, so the gateway never computes a version of its own that could disagree with them. A
 * Model without a status version (the operator has not seen it yet) is known but has no workers.
 */
public final class RoutingTable {

  public static final RoutingTable EMPTY = new RoutingTable(Map.of());

  private final Map<ModelKey, RoutableModel> models;

  private RoutingTable(Map<ModelKey, RoutableModel> models) {
    this.models = Map.copyOf(models);
  }

  /** The table for these Models and pods; pods of other pools, namespaces or owners are ignored. */
  public static RoutingTable of(Collection<Pod> pods, Collection<Model> models) {
    List<PoolPod> routable = pods.stream()
        .flatMap(pod -> WorkerPodFacts.routable(pod).map(worker -> new PoolPod(pod, worker)).stream())
        .sorted(Comparator.comparing(p -> p.worker().name()))
        .toList();
    var table = new HashMap<ModelKey, RoutableModel>();
    for (Model model : models) {
      if (model.getMetadata().getDeletionTimestamp() != null || model.getSpec() == null) {
        continue;
      }
      ModelKey key = ModelKey.of(model);
      Optional<String> version = Optional.ofNullable(model.getStatus()).map(s -> s.getVersion());
      List<Worker> workers = version.map(v -> routable.stream()
              .filter(p -> p.serves(model, v))
              .map(PoolPod::worker)
              .toList())
          .orElse(List.of());
      int targetConcurrency = Objects.requireNonNullElse(model.getSpec().getTargetConcurrency(), 1);
      BigDecimal price = Optional.ofNullable(model.getSpec().getPricePerSecond()).map(BigDecimal::new).orElse(BigDecimal.ZERO);
      table.put(key, new RoutableModel(key, version, targetConcurrency, workers, price,
          Optional.ofNullable(model.getSpec().getTask())));
    }
    return new RoutingTable(table);
  }

  /** The model, if a Model of that namespace and name exists. */
  public Optional<RoutableModel> model(ModelKey key) {
    return Optional.ofNullable(models.get(key));
  }

  public Collection<RoutableModel> models() {
    return models.values();
  }

  private record PoolPod(Pod pod, Worker worker) {

    boolean serves(Model model, String version) {
      return Objects.equals(pod.getMetadata().getNamespace(), model.getMetadata().getNamespace())
          && Objects.equals(WorkerPodFacts.pool(pod), model.getSpec().getPool())
          && WorkerPodFacts.holds(pod, model.getMetadata().getName(), version);
    }
  }
}
