package dev.kiln.bench.coldstart;

import static org.awaitility.Awaitility.await;

import dev.kiln.bench.cluster.BenchFleet;
import dev.kiln.bench.cluster.GatewayClient;
import dev.kiln.bench.cluster.ModelFileServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures one case of the cold-start benchmark on a fleet: each in a pool and model of its own,
 * deleted afterwards (workers gone) so that no case inherits another's workers or cache.
 */
final class ColdStarts {

  /** A burst this many times the busy worker's slots. */
  static final int BURST = 4;
  private static final Duration FIRST_ANSWER = Duration.ofMinutes(4);
  private static final Duration WORKERS = Duration.ofMinutes(3);
  private static final byte[] SYNTHETIC_INPUT = "{\"prompt\":\"burst\"}".getBytes(StandardCharsets.UTF_8);

  /** The model file the runtime loads: its bytes, its sha256 and the picture it is asked about. */
  record RealModel(Path file, String sha256, String task, String contentType, byte[] input) {}

  /** One burst: when its first answer came, and whether the pool had a second worker once all were answered. */
  record Burst(Duration firstAnswer, boolean scaledUp) {}

  private final BenchFleet fleet;
  private final GatewayClient client;
  private final ModelFileServer server;
  private final RealModel model;
  private final Duration serviceTime;

  ColdStarts(BenchFleet fleet, GatewayClient client, ModelFileServer server, RealModel model, Duration serviceTime) {
    this.fleet = fleet;
    this.client = client;
    this.server = server;
    this.model = model;
    this.serviceTime = serviceTime;
  }

  /** Time from applying the Model to its first answered run, in case {@code start} (not the burst). */
  Duration applyToFirstAnswer(ColdStart start, int round) throws Exception {
    String name = "cw-" + start.slug() + "-" + round;
    boolean spare = start != ColdStart.NO_SPARE;
    fleet.apply(pool(name, spare ? 1 : 0, 1));
    try {
      if (spare) {
        Pod worker = fleet.awaitReadyWorker(name, WORKERS);
        if (start == ColdStart.WARM_CACHED) {
          putInCache(worker);
        }
      }
      long applied = System.nanoTime();
      fleet.apply(realModel(name));
      client.runUntilAnswered(name, model.contentType(), model.input(), FIRST_ANSWER);
      return Duration.ofNanos(System.nanoTime() - applied);
    } finally {
      fleet.deleteModelAndPool(name, name, WORKERS);
    }
  }

  /**
   * A synthetic model resident on one worker, that worker kept busy by one request, then a burst of
   * {@link #BURST} requests: the time from the burst to its first answer.
   */
  Burst burst(int round) throws Exception {
    String name = "cw-burst-" + round;
    fleet.apply(pool(name, 0, 2) + "---\n" + syntheticModel(name));
    try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
      client.runUntilAnswered(name, "application/json", SYNTHETIC_INPUT, FIRST_ANSWER);
      Future<Long> busy = requests.submit(() -> answered(name));
      await("the worker busy with a request").atMost(WORKERS).pollInterval(Duration.ofMillis(5))
          .until(() -> inFlight(name) >= 1);
      long burst = System.nanoTime();
      List<Future<Long>> answers = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        answers.add(requests.submit(() -> answered(name)));
      }
      long first = Long.MAX_VALUE;
      for (Future<Long> answer : answers) {
        first = Math.min(first, answer.get());
      }
      busy.get();
      boolean scaledUp = fleet.workers(name).size() > 1;
      return new Burst(Duration.ofNanos(first - burst), scaledUp);
    } finally {
      fleet.deleteModelAndPool(name, name, WORKERS);
    }
  }

  private long answered(String name) throws IOException, InterruptedException {
    HttpResponse<byte[]> answer = client.run(name, "application/json", SYNTHETIC_INPUT);
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(name + " answered " + answer.statusCode() + ": " + new String(answer.body()));
    }
    return System.nanoTime();
  }

  private double inFlight(String name) {
    Gauge gauge = fleet.fleet().gateway().metrics().find("kiln.gateway.in.flight.requests").tag("model", name)
        .gauge();
    return gauge == null ? 0 : gauge.value();
  }

  /** Where the runtime's cache looks for the model: {@code blobs/<sha256>}. */
  private void putInCache(Pod worker) throws IOException {
    Path blobs = Files.createDirectories(fleet.modelCache(worker).resolve("blobs"));
    Files.copy(model.file(), blobs.resolve(model.sha256()));
  }

  private static String pool(String name, int warmSpares, int maxWorkers) {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: GpuPool
        metadata:
          name: %s
        spec:
          gpusPerWorker: 1
          gpuMemoryPerWorker: 16Gi
          workers: {min: 0, max: %d}
          warmSpares: %d
        """.formatted(name, maxWorkers, warmSpares);
  }

  private String realModel(String name) {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: Model
        metadata:
          name: %s
        spec:
          pool: %s
          task: %s
          source:
            uri: %s
            sha256: %s
          residency: {policy: Hot, minReplicas: 1, maxReplicas: 1}
        """.formatted(name, name, model.task(), server.uri(), model.sha256());
  }

  private String syntheticModel(String name) {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: Model
        metadata:
          name: %s
        spec:
          pool: %s
          task: synthetic
          source: {uri: "file:///dev/null"}   # the CRD asks for one; a synthetic model loads no file
          gpuMemory: 1Gi
          options: {serviceTimeMillis: %d}
          residency: {policy: Hot, minReplicas: 1, maxReplicas: 2}
          targetConcurrency: 1
        """.formatted(name, name, serviceTime.toMillis());
  }
}
