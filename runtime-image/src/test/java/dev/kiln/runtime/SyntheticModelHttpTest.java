package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.gpu.GpuTelemetry;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API, stats and errors, over real HTTP on loopback, with synthetic models (no model file). */
class SyntheticModelHttpTest {

  private static final String SLOW = """
      {"name": "slow", "version": "v1", "task": "synthetic", "options": {"serviceTimeMillis": 20, "memoryBytes": 1048576}}
      """;
  private static final String LARGE = """
      {"name": "large", "version": "v1", "task": "synthetic", "options": {"loadTimeMillis": 5000}}
      """;

  @TempDir
  Path cache;

  private WorkerRuntime runtime;
  private RuntimeClient client;

  @BeforeEach
  void start() throws Exception {
    runtime = WorkerRuntime.start(new RuntimeConfig("127.0.0.1", 0, cache, 1L << 30, Duration.ofSeconds(5), 4096, 2),
        GpuTelemetry.none());
    client = new RuntimeClient("127.0.0.1", runtime.port());
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  @Test
  void loadIsIdempotentAndReportsTheDeclaredMemory() {
    JsonNode first = client.load(SLOW);
    JsonNode again = client.load(SLOW);

    assertThat(first.path("memoryBytes").asLong()).isEqualTo(1048576);
    assertThat(again.path("loadedAt")).isEqualTo(first.path("loadedAt"));
    JsonNode listed = RuntimeClient.json(client.get("/admin/models"));
    assertThat(listed.path("models")).hasSize(1);
    assertThat(listed.path("models").get(0).path("name").asText()).isEqualTo("slow");
  }

  @Test
  void aNamedRunIsCancelledByItsCallerAndFreesTheWorker() throws Exception {
    client.load(SLOW);
    client.load("""
        {"name": "long", "version": "v1", "task": "synthetic", "options": {"serviceTimeMillis": 60000}}
        """);
    try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<HttpResponse<String>> run = callers.submit(() -> client.post("/models/long/run", "{}",
          java.util.Map.of("X-Kiln-Request-Id", "r-1")));
      await("the run in flight").atMost(Duration.ofSeconds(10))
          .until(() -> RuntimeClient.json(client.get("/stats")).path("inFlight").asInt() == 1);

      assertThat(client.post("/requests/r-1/cancel", "").statusCode()).isEqualTo(202);

      HttpResponse<String> cancelled = run.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(cancelled.statusCode()).isEqualTo(409);
      assertThat(RuntimeClient.json(cancelled).path("code").asText()).isEqualTo("cancelled");
      assertThat(RuntimeClient.json(client.get("/stats")).path("inFlight").asInt()).isZero();
    }
    assertThat(client.post("/requests/r-1/cancel", "").statusCode()).as("nothing left to cancel").isEqualTo(404);
    assertThat(client.post("/models/slow/run", "{}").statusCode()).as("the worker serves on").isEqualTo(200);
  }

  @Test
  void healthAndReadinessStayUpWhileAModelLoads() throws Exception {
    try (var loads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<JsonNode> large = loads.submit(() -> client.load(LARGE));
      await("the load in flight").atMost(Duration.ofSeconds(10))
          .until(() -> RuntimeClient.json(client.get("/stats")).path("inFlight").asInt() == 1);

      assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(client.get("/readyz").statusCode()).isEqualTo(200);
      assertThat(large).as("the probes were answered while the model loaded").isNotDone();
      assertThat(large.get().path("loadMillis").asLong()).isGreaterThanOrEqualTo(5000);
    }
  }

  @Test
  void runEchoesTheInputAndReportsBusySecondsThatAddUpToTheStats() {
    client.load(SLOW);
    BigDecimal reported = BigDecimal.ZERO;
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> response = client.post("/models/slow/run", "{\"prompt\": \"hello " + i + "\"}");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(RuntimeClient.json(response).path("input").path("prompt").asText()).isEqualTo("hello " + i);
      assertThat(response.headers().firstValue("X-Kiln-Model-Version")).hasValue("v1");
      BigDecimal busy = new BigDecimal(response.headers().firstValue("X-Kiln-Busy-Seconds").orElseThrow());
      assertThat(busy).isGreaterThanOrEqualTo(new BigDecimal("0.020"));
      reported = reported.add(busy);
    }

    JsonNode stats = RuntimeClient.json(client.get("/stats")).path("models").get(0);
    assertThat(stats.path("completed").asLong()).isEqualTo(5);
    assertThat(BigDecimal.valueOf(stats.path("busyNanos").asLong(), 9)).isEqualByComparingTo(reported);
    assertThat(client.get("/metrics").body())
        .contains("kiln_runtime_requests_total{model=\"slow\",outcome=\"completed\"} 5.0")
        .contains("kiln_runtime_model_memory_bytes{model=\"slow\"} 1048576.0")
        .contains("kiln_runtime_busy_seconds_total{model=\"slow\"}");
  }

  @Test
  void aStagedVersionServesOnlyRunsThatNameItUntilItIsPromoted() {
    assertThat(client.load(version("v1", false)).path("staged").isMissingNode()).as("nothing served: v1 serves")
        .isTrue();
    assertThat(client.load(version("v2", true)).path("staged").asBoolean()).isTrue();

    assertThat(ranOn("/models/blue/run")).as("the serving version").isEqualTo("v1");
    assertThat(ranOn("/models/blue/run?version=v1")).isEqualTo("v1");
    assertThat(ranOn("/models/blue/run?version=v2")).as("the staged version, asked for").isEqualTo("v2");
    assertError(client.post("/models/blue/run?version=v9", "{}"), 404, "unknown_model", "model blue version v9");
    JsonNode listed = RuntimeClient.json(client.get("/admin/models")).path("models");
    assertThat(listed).hasSize(2);
    assertThat(listed.get(1).path("version").asText()).isEqualTo("v2");
    assertThat(listed.get(1).path("staged").asBoolean()).isTrue();
    assertThat(client.load(version("v2", true)).path("version").asText()).as("staging again is idempotent")
        .isEqualTo("v2");

    JsonNode promoted = client.load(version("v2", false));
    assertThat(promoted.path("staged").isMissingNode()).isTrue();

    assertThat(promoted.path("loadedAt")).as("promoted, not loaded again").isEqualTo(listed.get(1).path("loadedAt"));
    assertThat(ranOn("/models/blue/run")).isEqualTo("v2");
    assertError(client.post("/models/blue/run?version=v1", "{}"), 404, "unknown_model", "version v1");
    assertThat(RuntimeClient.json(client.get("/admin/models")).path("models")).hasSize(1);

    client.load(version("v3", true));
    assertThat(client.delete("/admin/models/blue?version=v3").statusCode()).as("a staged version unloaded alone")
        .isEqualTo(200);
    assertThat(ranOn("/models/blue/run")).isEqualTo("v2");
    assertError(client.delete("/admin/models/blue?version=v3"), 404, "unknown_model", "blue version v3");
  }

  private static String version(String version, boolean stage) {
    return """
        {"name": "blue", "version": "%s", "task": "synthetic", "stage": %s}
        """.formatted(version, stage);
  }

  private String ranOn(String path) {
    HttpResponse<String> response = client.post(path, "{}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.headers().firstValue("X-Kiln-Model-Version").orElseThrow();
  }

  @Test
  void badRequestsGetJsonErrorsThatSayWhatIsWrong() {
    client.load(SLOW);

    assertError(client.post("/models/nope/run", "{}"), 404, "unknown_model", "model nope is not loaded");
    assertError(client.post("/models/slow/run", "{\"prompt\": "), 400, "malformed_json", "not valid JSON");
    assertError(client.post("/models/slow/run", "{\"p\": \"" + "x".repeat(5000) + "\"}"), 413, "body_too_large",
        "4096 bytes");
    assertError(client.post("/v2/models/slow/infer", "{}"), 400, "wrong_protocol", "POST /models/slow/run");
    assertError(client.post("/admin/models", "{\"name\": \"m\", \"task\": \"painting\"}"), 422, "load_failed",
        "task \"painting\" is not served by this runtime; it serves [background-removal, synthetic, tensor]");
    assertError(client.post("/admin/models", "{\"name\": \"m\", \"task\": \"synthetic\", \"colour\": 1}"), 400,
        "malformed_request", "colour");
    assertError(client.post("/admin/models", "{\"name\": \"Bad Name\", \"task\": \"synthetic\"}"), 400,
        "malformed_request", "name must be a model name");
    assertError(client.post("/admin/models", "{\"name\": \"m\", \"task\": \"synthetic\", \"options\": "
        + "{\"serviceTimeMillis\": -1}}"), 422, "load_failed", "options.serviceTimeMillis must be a whole number");
    assertError(client.post("/admin/models", "{\"name\": \"t\", \"task\": \"tensor\"}"), 422, "load_failed",
        "needs a model file: set source.uri");

    assertThat(client.post("/models/slow/run", "{}").statusCode()).as("the model still serves").isEqualTo(200);
    assertError(client.post("/models/t/run", "{}"), 404, "unknown_model", "its last load failed: task tensor needs");
  }

  @Test
  void unloadRemovesTheModelAndDrainRefusesNewWorkButStillAnswersReads() {
    client.load(SLOW);

    assertThat(client.delete("/admin/models/slow").statusCode()).isEqualTo(200);
    assertError(client.post("/models/slow/run", "{}"), 404, "unknown_model", "not loaded");
    assertError(client.delete("/admin/models/slow"), 404, "unknown_model", "not loaded here");

    assertThat(client.post("/admin/drain", "").statusCode()).isEqualTo(202);
    assertError(client.post("/admin/models", SLOW), 503, "draining", "send the request to another worker");
    assertThat(client.get("/readyz").statusCode()).isEqualTo(503);
    assertThat(RuntimeClient.json(client.get("/stats")).path("draining").asBoolean()).isTrue();
  }

  private static void assertError(HttpResponse<String> response, int status, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = RuntimeClient.json(response);
    assertThat(body.path("code").asText()).isEqualTo(code);
    assertThat(body.path("error").asText()).contains(message);
  }
}
