package dev.kiln.bench.gateway;

import dev.kiln.bench.cluster.KilnObjects;
import dev.kiln.cli.DevFleet;
import dev.kiln.cli.DevPaths;
import dev.kiln.cli.Progress;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelPhase;
import dev.kiln.crds.model.ModelStatus;
import dev.kiln.operator.runtime.WorkerAdminClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;

/**
 * Kiln as {@code kiln dev} runs it ({@link DevFleet}), its gateway on plain http like the other
 * candidates, serving one zero-work synthetic model (Hot, one replica) on a CPU pool of one worker,
 * with an API key whose rate limit is the highest there is, so that the gateway checks it and never
 * refuses. The worker's runtime is what the direct candidate and nginx call.
 */
final class SyntheticModelFleet implements AutoCloseable {

  static final String MODEL = "noop";
  private static final String KEY = "bench";
  /** Far above any load the benchmark makes: the gateway's default per-key limit would refuse most of it. */
  private static final int KEY_RATE_LIMIT = 100_000;
  private static final Duration POLL = Duration.ofMillis(250);

  private final DevFleet fleet;
  private final String apiKey;
  private final String runtimeAddress;

  private SyntheticModelFleet(DevFleet fleet, String apiKey, String runtimeAddress) {
    this.fleet = fleet;
    this.apiKey = apiKey;
    this.runtimeAddress = runtimeAddress;
  }

  /**
   * @param targetConcurrency the model's {@code targetConcurrency}, which caps what the gateway sends
   *     one replica at once: set above the load's connections, so that the gateway proxies and never queues
   */
  static SyntheticModelFleet start(DevPaths paths, int targetConcurrency, Duration readyTimeout, Progress progress)
      throws Exception {
    Files.createDirectories(paths.run());
    DevFleet fleet = DevFleet.start(new DevFleet.Settings(1, 1, 0, 0, false), paths, progress);
    try {
      KubernetesClient admin = fleet.admin();
      String key = progress.step("a CPU pool, the zero-work model " + DevFleet.NAMESPACE + "/" + MODEL
          + " and an API key", () -> {
            KilnObjects.apply(admin, manifest(targetConcurrency));
            return KilnObjects.apiKey(admin, KEY, OptionalInt.of(KEY_RATE_LIMIT));
          });
      Pod worker = progress.step("waiting until " + MODEL + " is resident", () -> awaitWorker(admin, readyTimeout));
      String address = worker.getStatus().getPodIP() + ":" + WorkerAdminClient.PORT;
      progress.detail("runtime on " + worker.getMetadata().getName() + " at " + address);
      return new SyntheticModelFleet(fleet, key, address);
    } catch (Exception | Error e) {
      fleet.close();
      throw e;
    }
  }

  /** The runtime in the worker pod, {@code ip:port}. */
  String runtimeAddress() {
    return runtimeAddress;
  }

  /** The runtime's own run endpoint for the model. */
  String runtimePath() {
    return "/models/" + MODEL + "/run";
  }

  /** fal's run endpoint for the model on the gateway's run listener. */
  URI gatewayUrl() {
    return URI.create(fleet.runUrl() + "/" + DevFleet.NAMESPACE + "/" + MODEL);
  }

  String apiKey() {
    return apiKey;
  }

  private static Pod awaitWorker(KubernetesClient admin, Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Model model = admin.resources(Model.class).inNamespace(DevFleet.NAMESPACE).withName(MODEL).get();
      ModelStatus status = model == null ? null : model.getStatus();
      if (status != null && status.getPhase() == ModelPhase.READY
          && Objects.requireNonNullElse(status.getReadyReplicas(), 0) > 0) {
        List<String> workers = Objects.requireNonNullElse(status.getWorkers(), List.of());
        Pod pod = workers.isEmpty() ? null
            : admin.pods().inNamespace(DevFleet.NAMESPACE).withName(workers.getFirst()).get();
        if (pod != null && pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
          return pod;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the model " + MODEL + " is not resident after " + timeout.toSeconds() + " s: "
            + (status == null ? "no status" : "phase " + status.getPhase()) + "; the components' log says more");
      }
      Thread.sleep(POLL);
    }
  }

  static String manifest(int targetConcurrency) {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: GpuPool
        metadata:
          name: cpu
        spec:
          gpusPerWorker: 0
          workers: {min: 0, max: 1}
          warmSpares: 0
          template:
            resources:
              requests: {cpu: 500m, memory: 1Gi}
        ---
        apiVersion: kiln.dev/v1alpha1
        kind: Model
        metadata:
          name: %s
        spec:
          pool: cpu
          task: synthetic
          source: {uri: "file:///dev/null"}
          options: {serviceTimeMillis: 0}
          residency: {policy: Hot, minReplicas: 1, maxReplicas: 1}
          targetConcurrency: %d
          pricePerSecond: "0.0011"
        """.formatted(MODEL, targetConcurrency);
  }

  @Override
  public void close() {
    fleet.close();
  }
}
