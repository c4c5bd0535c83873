package dev.kiln.gateway.routing;

import dev.kiln.crds.model.Model;
import dev.kiln.gateway.informers.OnAnyChange;
import dev.kiln.crds.worker.WorkerPodMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link RoutingTable} current from informers on Kiln's worker pods and on Models. Every
 * event rebuilds the whole table from the informers' caches (a few hundred objects at most), so
 * there is no incremental state to get wrong; readers get the latest snapshot without locking.
 */
public final class RoutingTableWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RoutingTableWatcher.class);

  private final List<SharedIndexInformer<Pod>> pods = new ArrayList<>();
  private final List<SharedIndexInformer<Model>> models = new ArrayList<>();
  private final List<Consumer<RoutingTable>> changeListeners = new CopyOnWriteArrayList<>();
  private volatile RoutingTable table = RoutingTable.EMPTY;

  private RoutingTableWatcher() {}

  /**
   * Starts watching {@code namespaces}, or every namespace when the set is empty. Returns at once;
   * {@link #hasSynced()} tells when the table reflects the cluster.
   */
  public static RoutingTableWatcher start(KubernetesClient client, Set<String> namespaces) {
    var watcher = new RoutingTableWatcher();
    if (namespaces.isEmpty()) {
      watcher.pods.add(client.pods().inAnyNamespace().withLabel(WorkerPodMetadata.MANAGED_BY, WorkerPodMetadata.KILN).runnableInformer(0));
      watcher.models.add(client.resources(Model.class).inAnyNamespace().runnableInformer(0));
    } else {
      for (String namespace : namespaces) {
        watcher.pods.add(client.pods().inNamespace(namespace).withLabel(WorkerPodMetadata.MANAGED_BY, WorkerPodMetadata.KILN).runnableInformer(0));
        watcher.models.add(client.resources(Model.class).inNamespace(namespace).runnableInformer(0));
      }
    }
    watcher.pods.forEach(informer -> informer.addEventHandler(OnAnyChange.run(watcher::rebuild)));
    watcher.models.forEach(informer -> informer.addEventHandler(OnAnyChange.run(watcher::rebuild)));
    watcher.pods.forEach(SharedIndexInformer::start);
    watcher.models.forEach(SharedIndexInformer::start);
    return watcher;
  }

  /** The latest snapshot; {@link RoutingTable#EMPTY} until the first event. */
  public RoutingTable table() {
    return table;
  }

  /**
   * Calls {@code listener} with each new table, so queued requests can be routed to a worker that
   * just became ready. Called on an informer thread, one table at a time; it must not block.
   */
  public void onChange(Consumer<RoutingTable> listener) {
    changeListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** True once every informer has listed its objects: the gateway is ready to route. */
  public boolean hasSynced() {
    return pods.stream().allMatch(SharedIndexInformer::hasSynced) && models.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public void close() {
    pods.forEach(SharedIndexInformer::close);
    models.forEach(SharedIndexInformer::close);
  }

  /**
   * Serialised so a rebuild that read older caches never replaces a newer table, and listeners
   * see the tables in the order they were built.
   */
  private synchronized void rebuild() {
    List<Pod> allPods = pods.stream().flatMap(informer -> informer.getStore().list().stream()).toList();
    List<Model> allModels = models.stream().flatMap(informer -> informer.getStore().list().stream()).toList();
    RoutingTable rebuilt = RoutingTable.of(allPods, allModels);
    table = rebuilt;
    LOG.debug("routing table rebuilt pods={} models={}", allPods.size(), allModels.size());
    changeListeners.forEach(listener -> listener.accept(rebuilt));
  }
}
