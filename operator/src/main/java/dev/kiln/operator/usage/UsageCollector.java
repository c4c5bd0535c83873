package dev.kiln.operator.usage;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.operator.pool.PoolLabels;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.operator.runtime.WorkerAdminException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link UsageMeter} every interval: one listing of the worker pods, the pools' prices
 * and the GPU nodes' GPU types, then each running worker's {@code /stats}; exports the totals and stores the checkpoint.
 *
 * <p>Only the leader collects: ticks do nothing while {@code leading} says no. The first tick that
 * leads restores the meter from the stored checkpoint, before its first observation, and only then
 * binds the metrics, so a standby exports no usage series and a new leader never exports totals
 * below what the last one stored. A replica that loses the lease exits, so leading never ends
 * while a meter is live.
 *
 * <p>A worker whose {@code /stats} fails or times out is skipped for that tick: its counters are
 * cumulative, so the next sample makes up for it.
 */
public final class UsageCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsageCollector.class);

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final UsageCheckpointStore store;
  private final MeterRegistry registry;
  private final BooleanSupplier leading;
  private final WorkerAdminClient workers;
  private final Clock clock;
  private final ScheduledExecutorService ticks;
  /** When the last collection was stored, in epoch seconds; 0 until this replica has collected. */
  private final AtomicLong lastCollected = new AtomicLong();
  private UsageMeter meter;
  private UsageMetrics metrics;

  /**
   * Starts ticking every {@code settings.interval()}, the first tick at once.
   *
   * @param namespaces the watched namespaces; empty for all
   */
  public static UsageCollector start(KubernetesClient client, Set<String> namespaces, UsageSettings settings,
      MeterRegistry registry, BooleanSupplier leading) {
    UsageCollector collector = new UsageCollector(client, namespaces, new UsageCheckpointStore(client, settings.namespace()),
        registry, leading, new WorkerAdminClient(settings.scrapeTimeout(), settings.scrapeTimeout()), Clock.systemUTC());
    collector.ticks.scheduleWithFixedDelay(collector::tick, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    return collector;
  }

  private UsageCollector(KubernetesClient client, Set<String> namespaces, UsageCheckpointStore store, MeterRegistry registry,
      BooleanSupplier leading, WorkerAdminClient workers, Clock clock) {
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
    this.store = store;
    this.registry = registry;
    this.leading = leading;
    this.workers = workers;
    this.clock = clock;
    this.ticks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kiln-usage").daemon().factory());
    Gauge.builder("kiln.usage.last.collection.timestamp", lastCollected, AtomicLong::get)
        .baseUnit("seconds")
        .description("When this replica last collected and stored usage (epoch seconds); 0 on a standby that never led")
        .register(registry);
  }

  /** Stops ticking, waiting for a tick in progress. The checkpoint of the last tick stays stored. */
  @Override
  public void close() {
    ticks.shutdownNow();
    try {
      ticks.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void tick() {
    if (!leading.getAsBoolean()) {
      return;
    }
    try {
      if (meter == null) {
        restore();
      }
      collect();
    } catch (RuntimeException e) {
      // A failed tick must not end the schedule; the next one retries from the cluster's state.
      LOG.warn("usage.tick_failed error=\"{}\"", e.toString());
    }
  }

  private void restore() {
    UsageCheckpoint checkpoint = store.read();
    meter = new UsageMeter(checkpoint);
    metrics = new UsageMetrics(meter);
    metrics.bindTo(registry);
    LOG.info("usage.restored configmap={}/{} pods={}", store.namespace(), UsageCheckpointStore.NAME, checkpoint.pods().size());
  }

  private void collect() {
    Map<PoolRef, GpuPool> pools = pools();
    var now = clock.instant();
    Map<String, String> gpuTypes = gpuTypeByNode();
    List<Pod> pods = workerPods();
    List<WorkerPod> observed = new ArrayList<>();
    for (Pod pod : pods) {
      WorkerPodStatus.of(pod, ref -> Optional.ofNullable(pools.get(ref)).map(p -> p.getSpec().getGpuResource()).orElse(null),
          gpuTypes).ifPresent(observed::add);
    }
    Map<PoolRef, PoolPrice> prices = new HashMap<>();
    pools.forEach((ref, pool) -> prices.put(ref, PoolPrice.of(pool.getSpec().getPricePerGpuSecond(), pool.getSpec().getCurrency())));
    meter.observePods(now, observed, prices);
    scrape(pods).forEach(meter::recordStats);
    metrics.refresh();
    store.write(meter.checkpoint());
    lastCollected.set(now.getEpochSecond());
  }

  /** Busy counters of every running worker that answered, by pod UID. */
  private Map<String, Map<String, Long>> scrape(List<Pod> pods) {
    Map<String, Future<Optional<Map<String, Long>>>> pending = new HashMap<>();
    Map<String, Map<String, Long>> samples = new HashMap<>();
    try (ExecutorService scrapes = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Pod pod : pods) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip != null && "Running".equals(pod.getStatus().getPhase())) {
          pending.put(pod.getMetadata().getUid(), scrapes.submit(() -> stats(pod, ip)));
        }
      }
    }
    pending.forEach((uid, sample) -> {
      if (sample.state() == Future.State.SUCCESS) {
        sample.resultNow().ifPresent(busy -> samples.put(uid, busy));
      }
    });
    return samples;
  }

  private Optional<Map<String, Long>> stats(Pod pod, String ip) {
    try {
      return Optional.of(workers.busyNanos(WorkerAdminClient.worker(ip)));
    } catch (WorkerAdminException e) {
      LOG.debug("usage.scrape_skipped pod={}/{} error=\"{}\"", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Every worker pod of the watched namespaces in one listing, so that pods missing from it are gone. */
  private List<Pod> workerPods() {
    if (namespaces.size() == 1) {
      return client.pods().inNamespace(namespaces.iterator().next()).withLabel(PoolLabels.MANAGED_BY, "kiln").list().getItems();
    }
    return client.pods().inAnyNamespace().withLabel(PoolLabels.MANAGED_BY, "kiln").list().getItems().stream()
        .filter(pod -> namespaces.isEmpty() || namespaces.contains(pod.getMetadata().getNamespace()))
        .toList();
  }

  /** Only nodes that carry the label are listed, as most of a large cluster may have no GPUs. */
  private Map<String, String> gpuTypeByNode() {
    Map<String, String> types = new HashMap<>();
    for (Node node : client.nodes().withLabel(WorkerPodStatus.GPU_PRODUCT).list().getItems()) {
      types.put(node.getMetadata().getName(), node.getMetadata().getLabels().get(WorkerPodStatus.GPU_PRODUCT));
    }
    return types;
  }

  private Map<PoolRef, GpuPool> pools() {
    List<GpuPool> listed = namespaces.size() == 1
        ? client.resources(GpuPool.class).inNamespace(namespaces.iterator().next()).list().getItems()
        : client.resources(GpuPool.class).inAnyNamespace().list().getItems();
    Map<PoolRef, GpuPool> pools = new HashMap<>();
    for (GpuPool pool : listed) {
      PoolRef ref = new PoolRef(pool.getMetadata().getNamespace(), pool.getMetadata().getName());
      if (namespaces.isEmpty() || namespaces.contains(ref.namespace())) {
        pools.put(ref, pool);
      }
    }
    return pools;
  }
}
