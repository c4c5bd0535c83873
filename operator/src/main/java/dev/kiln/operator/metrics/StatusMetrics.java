package dev.kiln.operator.metrics;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolStatus;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What the Models' and GpuPools' status say, as gauges read at scrape time from the API server, so
 * they are never stale and a deleted object leaves no series behind. Only the leader reports them,
 * so that a dashboard summing over operator replicas counts each object once.
 *
 * <ul>
 *   <li>{@code kiln_model_replicas{namespace,model,pool,state}}: {@code resident}, {@code ready},
 *       {@code desired}</li>
 *   <li>{@code kiln_pool_workers{namespace,pool,state}}: {@code current}, {@code ready},
 *       {@code idle}, {@code desired}, {@code min}, {@code max}</li>
 *   <li>{@code kiln_pool_gpu_memory_bytes{namespace,pool,state}}: {@code used}, {@code total}</li>
 * </ul>
 */
public final class StatusMetrics implements MultiCollector {

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final BooleanSupplier leading;

  /** @param namespaces the watched namespaces, empty for all */
  public StatusMetrics(KubernetesClient client, Set<String> namespaces, BooleanSupplier leading) {
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
    this.leading = leading;
  }

  @Override
  public MetricSnapshots collect() {
    if (!leading.getAsBoolean()) {
      return new MetricSnapshots();
    }
    GaugeSnapshot.Builder replicas = GaugeSnapshot.builder().name("kiln_model_replicas")
        .help("A Model's replicas by state, from its status");
    for (Model model : list(client.resources(Model.class))) {
      ModelStatus status = model.getStatus() == null ? new ModelStatus() : model.getStatus();
      Labels labels = Labels.of("namespace", model.getMetadata().getNamespace(), "model", model.getMetadata().getName(),
          "pool", model.getSpec().getPool());
      replicas.dataPoint(point(labels, "resident", status.getResidentReplicas()));
      replicas.dataPoint(point(labels, "ready", status.getReadyReplicas()));
      replicas.dataPoint(point(labels, "desired", status.getDesiredReplicas()));
    }
    GaugeSnapshot.Builder workers = GaugeSnapshot.builder().name("kiln_pool_workers")
        .help("A GpuPool's workers by state, from its spec and status");
    GaugeSnapshot.Builder memory = GaugeSnapshot.builder().name("kiln_pool_gpu_memory_bytes")
        .help("GPU memory of a GpuPool's workers, used by resident models and in total");
    for (GpuPool pool : list(client.resources(GpuPool.class))) {
      GpuPoolStatus status = pool.getStatus() == null ? new GpuPoolStatus() : pool.getStatus();
      Labels labels = Labels.of("namespace", pool.getMetadata().getNamespace(), "pool", pool.getMetadata().getName());
      workers.dataPoint(point(labels, "current", status.getCurrentWorkers()));
      workers.dataPoint(point(labels, "ready", status.getReadyWorkers()));
      workers.dataPoint(point(labels, "idle", status.getIdleWorkers()));
      workers.dataPoint(point(labels, "desired", status.getDesiredWorkers()));
      if (pool.getSpec().getWorkers() != null) {
        workers.dataPoint(point(labels, "min", pool.getSpec().getWorkers().getMin()));
        workers.dataPoint(point(labels, "max", pool.getSpec().getWorkers().getMax()));
      }
      memory.dataPoint(bytes(labels, "used", status.getGpuMemoryUsed()));
      memory.dataPoint(bytes(labels, "total", status.getGpuMemoryTotal()));
    }
    return new MetricSnapshots(replicas.build(), workers.build(), memory.build());
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of("kiln_model_replicas", "kiln_pool_workers", "kiln_pool_gpu_memory_bytes");
  }

  private <T extends HasMetadata, L extends KubernetesResourceList<T>> List<T> list(
      MixedOperation<T, L, Resource<T>> resources) {
    if (namespaces.isEmpty()) {
      return resources.inAnyNamespace().list().getItems();
    }
    return namespaces.stream().flatMap(namespace -> resources.inNamespace(namespace).list().getItems().stream()).toList();
  }

  private static GaugeDataPointSnapshot point(Labels labels, String state, Integer value) {
    return GaugeDataPointSnapshot.builder().labels(labels.add("state", state)).value(value == null ? 0 : value).build();
  }

  private static GaugeDataPointSnapshot bytes(Labels labels, String state, Quantity value) {
    double amount = value == null ? 0 : Quantity.getAmountInBytes(value).doubleValue();
    return GaugeDataPointSnapshot.builder().labels(labels.add("state", state)).value(amount).build();
  }
}
