package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.gpu.GpuTelemetry;
import dev.kiln.runtime.store.ContentHash;
import dev.kiln.runtime.testmodels.ConvNetWeights;
import dev.kiln.runtime.testmodels.RandomTensors;
import dev.kiln.runtime.testmodels.ReferenceMath;
import dev.kiln.runtime.testmodels.TestModels;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensor models built by the tests, served over real HTTP by real ONNX Runtime, checked against plain Java math. */
class TensorModelHttpTest {

  private static final float[][] WEIGHTS = new RandomTensors(7).floats(4, 3);
  private static final float[] BIAS = new RandomTensors(8).floats(3);
  private static final ConvNetWeights CONV = ConvNetWeights.seeded(11);
  private static final int SIZE = ConvNetWeights.SIZE;

  @TempDir
  static Path work;

  private static WorkerRuntime runtime;
  private static RuntimeClient client;
  private static Path linear;
  private static Path conv;

  @BeforeAll
  static void start() throws Exception {
    runtime = WorkerRuntime.start(new RuntimeConfig("127.0.0.1", 0, work.resolve("cache"), 1L << 30,
        Duration.ofSeconds(5), 1 << 20, 2), GpuTelemetry.none());
    client = new RuntimeClient("127.0.0.1", runtime.port());
    linear = TestModels.write(work.resolve("models/linear.onnx"), TestModels.linear(WEIGHTS, BIAS));
    conv = TestModels.write(work.resolve("models/conv.onnx"), TestModels.convNet(CONV));
    client.load(load("linear", linear, ""));
    client.load(load("conv", conv, ""));
    client.load(load("conv-batched", conv, ", \"batching\": {\"maxBatchSize\": 8, \"maxDelayMillis\": 20}"));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static String load(String name, Path file, String extra) throws Exception {
    return """
        {"name": "%s", "task": "tensor", "source": {"uri": "%s", "sha256": "%s"},
         "session": {"intraOpThreads": 1, "optimization": "all"}%s}
        """.formatted(name, file.toUri(), ContentHash.ofFile(file), extra);
  }

  @Test
  void linearLayerAnswersWhatTheMathSays() {
    float[][] x = new RandomTensors(1).floats(3, 4);
    HttpResponse<String> response = client.post("/v2/models/linear/infer",
        V2Requests.fp32("x", new long[] {3, 4}, flatten(x)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = RuntimeClient.json(response);
    assertThat(body.path("model_name").asText()).isEqualTo("linear");
    assertThat(body.path("outputs").get(0).path("shape").toString()).isEqualTo("[3,3]");
    assertThat(V2Requests.fp32Output(body, "y")).containsExactly(flatten(ReferenceMath.linear(x, WEIGHTS, BIAS)),
        within(1e-5f));
  }

  @Test
  void convNetAnswersWhatTheMathSaysBatchedOrNot() {
    float[][][][] images = new RandomTensors(2).floats(2, 3, SIZE, SIZE);
    String request = V2Requests.fp32("image", new long[] {2, 3, SIZE, SIZE}, TestModels.flatten(images));
    float[] expected = TestModels.flatten(ReferenceMath.convNet(CONV, images));

    float[] unbatched = V2Requests.fp32Output(RuntimeClient.json(client.post("/v2/models/conv/infer", request)),
        "features");
    float[] batched = V2Requests.fp32Output(
        RuntimeClient.json(client.post("/v2/models/conv-batched/infer", request)), "features");

    assertThat(unbatched).containsExactly(expected, within(1e-5f));
    assertThat(batched).containsExactly(unbatched, within(1e-6f));
  }

  @Test
  void thirtyTwoConcurrentClientsGetTheirOwnCorrectResultsAndBusyTimeAddsUpExactly() throws Exception {
    long busyBefore = busyNanos("conv-batched");
    List<Callable<BigDecimal>> clients = new ArrayList<>();
    for (int c = 0; c < 32; c++) {
      int seed = 100 + c;
      clients.add(() -> {
        float[][][][] image = new RandomTensors(seed).floats(1, 3, SIZE, SIZE);
        HttpResponse<String> response = client.post("/v2/models/conv-batched/infer",
            V2Requests.fp32("image", new long[] {1, 3, SIZE, SIZE}, TestModels.flatten(image)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(V2Requests.fp32Output(RuntimeClient.json(response), "features"))
            .containsExactly(TestModels.flatten(ReferenceMath.convNet(CONV, image)), within(1e-5f));
        return new BigDecimal(response.headers().firstValue("X-Kiln-Busy-Seconds").orElseThrow());
      });
    }
    BigDecimal reported = BigDecimal.ZERO;
    try (var pool = Executors.newFixedThreadPool(32)) {
      for (Future<BigDecimal> busy : pool.invokeAll(clients)) {
        reported = reported.add(busy.get());
      }
    }

    assertThat(BigDecimal.valueOf(busyNanos("conv-batched") - busyBefore, 9)).isEqualByComparingTo(reported);
  }

  @Test
  void badInputsGetAClearErrorNamingTheProblem() {
    assertError(client.post("/v2/models/linear/infer", V2Requests.fp32("x", new long[] {1, 5}, new float[5])),
        "wrong_shape", "input x must have shape [-1, 4]");
    assertError(client.post("/v2/models/linear/infer", V2Requests.fp32("x", new long[] {2, 4}, new float[7])),
        "wrong_shape", "holds 8 values, but \"data\" has 7");
    assertError(client.post("/v2/models/linear/infer",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"INT64\", \"data\": [1, 2, 3, 4]}]}"),
        "wrong_datatype", "input x must be FP32, got INT64");
    assertError(client.post("/v2/models/linear/infer",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, \"a\", 3, 4]}]}"),
        "wrong_datatype", "value at index 1 is \"a\"");
    assertError(client.post("/v2/models/linear/infer", V2Requests.fp32("z", new long[] {1, 4}, new float[4])),
        "unknown_input", "has no input z; its inputs are [x]");
    assertError(client.post("/v2/models/linear/infer", "{\"inputs\": [{\"name\": \"x\""), "malformed_json",
        "not valid JSON");
    assertError(client.post("/v2/models/linear/infer", "{\"inputs\": []}"), "malformed_request", "non-empty array");

    HttpResponse<String> tooLarge = client.post("/v2/models/linear/infer", new byte[(1 << 20) + 1], "application/json");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    HttpResponse<String> unknown = client.post("/v2/models/resnet/infer", "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(RuntimeClient.json(unknown).path("error").asText()).contains("model resnet is not loaded");
  }

  @Test
  void aCorruptModelOrAWrongHashFailsItsOwnLoadWhileOthersKeepServing() throws Exception {
    Path corrupt = TestModels.write(work.resolve("models/corrupt.onnx"), TestModels.corrupt());

    HttpResponse<String> corruptLoad = client.post("/admin/models", load("broken", corrupt, ""));
    HttpResponse<String> wrongHash = client.post("/admin/models", """
        {"name": "mismatch", "task": "tensor", "source": {"uri": "%s", "sha256": "%s"}}
        """.formatted(linear.toUri(), "0".repeat(64)));

    assertThat(corruptLoad.statusCode()).isEqualTo(422);
    assertThat(RuntimeClient.json(corruptLoad).path("error").asText())
        .contains("ONNX Runtime cannot load").contains("is it an ONNX model");
    assertThat(wrongHash.statusCode()).isEqualTo(422);
    assertThat(RuntimeClient.json(wrongHash).path("error").asText()).contains("sha256 mismatch");
    assertThat(client.post("/v2/models/linear/infer", V2Requests.fp32("x", new long[] {1, 4}, new float[4]))
        .statusCode()).isEqualTo(200);
  }

  @Test
  void metadataAndReadinessFollowKServeV2() {
    JsonNode metadata = RuntimeClient.json(client.get("/v2/models/conv"));

    assertThat(metadata.path("name").asText()).isEqualTo("conv");
    assertThat(metadata.path("platform").asText()).isEqualTo("onnxruntime_onnx");
    assertThat(metadata.path("inputs").get(0).toString())
        .isEqualTo("{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[-1,3,8,8]}");
    assertThat(client.get("/v2/models/conv/ready").statusCode()).isEqualTo(200);
    assertThat(client.get("/v2/models/absent/ready").statusCode()).isEqualTo(404);
    assertThat(client.get("/v2/health/ready").statusCode()).isEqualTo(200);
  }

  private static long busyNanos(String model) {
    for (JsonNode stats : RuntimeClient.json(client.get("/stats")).path("models")) {
      if (stats.path("name").asText().equals(model)) {
        return stats.path("busyNanos").asLong();
      }
    }
    throw new AssertionError("no stats for " + model);
  }

  private static void assertError(HttpResponse<String> response, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode body = RuntimeClient.json(response);
    assertThat(body.path("code").asText()).as(response.body()).isEqualTo(code);
    assertThat(body.path("error").asText()).contains(message);
  }

  private static float[] flatten(float[][] matrix) {
    float[] flat = new float[matrix.length * matrix[0].length];
    for (int row = 0; row < matrix.length; row++) {
      System.arraycopy(matrix[row], 0, flat, row * matrix[0].length, matrix[0].length);
    }
    return flat;
  }
}
