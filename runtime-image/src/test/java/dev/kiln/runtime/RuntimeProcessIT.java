package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.runtime.store.LoopbackModelServer;
import dev.kiln.runtime.testmodels.RandomTensors;
import dev.kiln.runtime.testmodels.TestModels;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime as the kubelet runs it: its own process, configured by environment, stopped by SIGTERM. */
class RuntimeProcessIT {

  @TempDir
  Path work;

  @Test
  void servesHealthReadinessAndMetricsThenDrainsAndExitsZeroOnSigterm() throws Exception {
    try (RuntimeProcess runtime = RuntimeProcess.start(work.resolve("cache"), Map.of("KILN_SHUTDOWN_GRACE_SECONDS", "5"))
        .awaitReady()) {
      RuntimeClient client = runtime.client();
      assertThat(client.get("/healthz").body()).isEqualTo("ok");
      assertThat(client.get("/metrics").body()).contains("kiln_runtime_ready 1.0")
          .contains("kiln_runtime_in_flight_requests 0.0").contains("jvm_memory_used_bytes");

      runtime.terminate();

      assertThat(runtime.awaitExit()).as(runtime.log()).isZero();
      assertThat(runtime.log()).contains("SIGTERM received: draining").contains("stopped");
    }
  }

  @Test
  void badConfigurationStopsTheStartWithExitCode2AndSaysWhatToFix() throws Exception {
    try (RuntimeProcess runtime = RuntimeProcess.start(work.resolve("cache"), Map.of("KILN_PORT", "eighty"))) {
      assertThat(runtime.awaitExit()).isEqualTo(2);
      assertThat(runtime.log()).contains("kiln-runtime cannot start: KILN_PORT must be a whole number, got \"eighty\"");
    }
  }

  @Test
  void sigtermDuringALoadLetsInFlightWorkFinishRefusesNewWorkAndExitsZero() throws Exception {
    byte[] model = TestModels.linear(new RandomTensors(3).floats(4, 3), new RandomTensors(4).floats(3));
    try (var models = new LoopbackModelServer(work);
        RuntimeProcess runtime = RuntimeProcess.start(work.resolve("cache"),
            Map.of("KILN_SHUTDOWN_GRACE_SECONDS", "60"), trustStore(models)).awaitReady()) {
      models.put("/linear.onnx", model);
      models.closeGate();
      RuntimeClient client = runtime.client();
      client.load("{\"name\": \"slow\", \"task\": \"synthetic\", \"options\": {\"serviceTimeMillis\": 3000}}");

      String loadRequest = "{\"name\": \"linear\", \"task\": \"tensor\", \"source\": {\"uri\": \"%s\", \"sha256\": \"%s\"}}"
          .formatted(models.uri("/linear.onnx"), sha256(model));
      CompletableFuture<HttpResponse<String>> load =
          CompletableFuture.supplyAsync(() -> client.post("/admin/models", loadRequest));
      CompletableFuture<HttpResponse<String>> inference =
          CompletableFuture.supplyAsync(() -> client.post("/models/slow/run", "{\"n\": 1}"));
      await("download started and inference in flight").atMost(Duration.ofSeconds(30))
          .until(() -> models.requests() == 1 && runtime.logged("loading model=linear")
              && client.get("/stats").body().contains("\"inFlight\":2"));

      runtime.terminate();
      await("unready").atMost(Duration.ofSeconds(30)).until(() -> client.get("/readyz").statusCode() == 503);
      HttpResponse<String> refused = client.post("/models/slow/run", "{}");
      models.openGate();

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(RuntimeClient.json(refused).path("code").asText()).isEqualTo("draining");
      assertThat(inference.get().statusCode()).as(inference.get().body()).isEqualTo(200);
      assertThat(load.get().statusCode()).as(load.get().body()).isEqualTo(200);
      assertThat(runtime.awaitExit()).as(runtime.log()).isZero();
      assertThat(runtime.log()).contains("SIGTERM received: draining, 2 request(s) in flight")
          .contains("unloaded model=linear").contains("unloaded model=slow").contains("stopped");
    }
  }

  @Test
  void twoRuntimesSharingANodeCacheLoadTheSameModelConcurrentlyAndDownloadItOnce() throws Exception {
    byte[] model = TestModels.linear(new RandomTensors(5).floats(4, 3), new RandomTensors(6).floats(3));
    Path cache = work.resolve("node-cache");
    try (var models = new LoopbackModelServer(work);
        RuntimeProcess first = RuntimeProcess.start(cache, Map.of(), trustStore(models));
        RuntimeProcess second = RuntimeProcess.start(cache, Map.of(), trustStore(models))) {
      models.put("/shared.onnx", model);
      models.closeGate();
      String loadRequest = "{\"name\": \"shared\", \"task\": \"tensor\", \"source\": {\"uri\": \"%s\", \"sha256\": \"%s\"}}"
          .formatted(models.uri("/shared.onnx"), sha256(model));
      first.awaitReady();
      second.awaitReady();

      var loads = List.of(first, second).stream()
          .map(runtime -> CompletableFuture.supplyAsync(() -> runtime.client().post("/admin/models", loadRequest)))
          .toList();
      // Both runtimes are inside their load while the one download is held at the server.
      await("both loading").atMost(Duration.ofSeconds(60))
          .until(() -> first.logged("loading model=shared") && second.logged("loading model=shared"));
      models.openGate();

      for (var load : loads) {
        assertThat(load.get().statusCode()).as(load.get().body()).isEqualTo(200);
      }
      assertThat(models.requests()).isEqualTo(1);
      for (RuntimeProcess runtime : List.of(first, second)) {
        assertThat(runtime.client().post("/v2/models/shared/infer",
            V2Requests.fp32("x", new long[] {1, 4}, new float[4])).statusCode()).isEqualTo(200);
      }
    }
  }

  private static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  private static String[] trustStore(LoopbackModelServer server) {
    return server.trustStoreJvmOptions().toArray(String[]::new);
  }
}
