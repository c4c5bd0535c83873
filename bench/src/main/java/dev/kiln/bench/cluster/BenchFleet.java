package dev.kiln.bench.cluster;

import static org.awaitility.Awaitility.await;

import dev.kiln.cli.DevFleet;
import dev.kiln.cli.DevPaths;
import dev.kiln.cli.Progress;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.worker.WorkerPodMetadata;
import dev.kiln.operator.pool.WorkerPodTemplate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Kiln on this machine for a cluster benchmark, as {@code kiln dev} runs it, in a directory of the
 * benchmark's own, with what the benchmarks do to it: apply manifests, make API keys, wait for a
 * pool's workers to be ready or gone.
 */
public final class BenchFleet implements AutoCloseable {

  public static final String NAMESPACE = DevFleet.NAMESPACE;
  private static final Duration POLL = Duration.ofMillis(100);

  private final DevFleet fleet;

  private BenchFleet(DevFleet fleet) {
    this.fleet = fleet;
  }

  /**
   * Starts Kiln with {@code nodes} fake nodes of {@code gpusPerNode} GPUs each, the gateway on
   * ephemeral ports, everything under {@code directory} (emptied first).
   */
  public static BenchFleet start(Path directory, int nodes, int gpusPerNode, List<String> workerJvmOptions)
      throws Exception {
    DevPaths paths = new DevPaths(directory.toAbsolutePath());
    deleteRecursively(paths.run());
    Files.createDirectories(paths.run());
    return new BenchFleet(DevFleet.start(new DevFleet.Settings(nodes, gpusPerNode, 0, 0), workerJvmOptions, paths,
        new Progress(System.out)));
  }

  public DevFleet fleet() {
    return fleet;
  }

  public KubernetesClient admin() {
    return fleet.admin();
  }

  /** Applies every resource in {@code yaml} in the namespace, server-side, as {@code kubectl apply} would. */
  public void apply(String yaml) {
    KilnObjects.apply(admin(), yaml);
  }

  /** Makes an API key {@code name} that may call every model; returns it as clients send it. */
  public String apiKey(String name) {
    return KilnObjects.apiKey(admin(), name, OptionalInt.empty());
  }

  public List<Pod> workers(String pool) {
    return admin().pods().inNamespace(NAMESPACE).withLabel(WorkerPodMetadata.POOL, pool).list().getItems();
  }

  /** Waits until {@code pool} has a worker whose runtime is ready, and returns it. */
  public Pod awaitReadyWorker(String pool, Duration timeout) {
    return await("a ready worker in pool " + pool).atMost(timeout).pollInterval(POLL)
        .until(() -> workers(pool).stream().filter(BenchFleet::ready).findFirst(), Optional::isPresent)
        .orElseThrow();
  }

  /** Deletes the model and the pool, and waits until the pool's workers are gone. */
  public void deleteModelAndPool(String model, String pool, Duration timeout) {
    admin().resources(Model.class).inNamespace(NAMESPACE).withName(model).delete();
    admin().resources(GpuPool.class).inNamespace(NAMESPACE).withName(pool).delete();
    await("the workers of pool " + pool + " gone").atMost(timeout).pollInterval(POLL)
        .until(() -> workers(pool).isEmpty());
  }

  /**
   * The model cache of the worker's runtime: {@code kiln dev} gives each worker process one of its own, in
   * its container's working directory, where a cluster has one per node ({@code modelCache.hostPath}).
   */
  public Path modelCache(Pod pod) {
    String podDirectory = pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + "_"
        + pod.getMetadata().getUid();
    return fleet.workerLogs().resolve(podDirectory).resolve(WorkerPodTemplate.CONTAINER).resolve("model-cache");
  }

  static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
        && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(condition -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
  }

  @Override
  public void close() {
    fleet.close();
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }
}
