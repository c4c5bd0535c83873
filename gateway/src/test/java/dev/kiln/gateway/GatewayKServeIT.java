package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.runtime.testmodels.RandomTensors;
import dev.kiln.runtime.testmodels.ReferenceMath;
import dev.kiln.runtime.testmodels.TestModels;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KServe v2 through the gateway, by Triton's Python client and by hand, to a real ONNX
 * {@code tensor} model on a real runtime (127.0.83.1:8080); and the demand the gateway reports on
 * {@code /stats}.
 */
@LocalKubernetes
class GatewayKServeIT {

  private static final String WORKER_IP = "127.0.83.1";
  private static final float[][] WEIGHTS = new RandomTensors(7).floats(4, 3);
  private static final float[] BIAS = new RandomTensors(8).floats(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path work;
  private static GatewayTestbed testbed;
  private static String ns;
  /** May call linear and echo. */
  private static String key;
  /** May call echo only. */
  private static String echoKey;
  /** May call every model of the namespace. */
  private static String wideKey;

  @BeforeAll
  static void start(TestCluster cluster) throws Exception {
    testbed = GatewayTestbed.start(cluster, work, WORKER_IP, Optional.empty());
    ns = testbed.namespace();
    testbed.tensorModel("linear", TestModels.write(work.resolve("linear.onnx"), TestModels.linear(WEIGHTS, BIAS)));
    key = testbed.apiKey("tensors", "tensors-secret", List.of("linear", "echo"), Optional.empty());
    echoKey = testbed.apiKey("echo-only", "echo-secret", List.of("echo"), Optional.empty());
    wideKey = testbed.apiKey("wide", "wide-secret", List.of(), Optional.empty());
    testbed.awaitServing(key);
    await("linear has a replica").atMost(GatewayTestbed.TIMEOUT)
        .until(() -> get("/v2/models/" + ns + "/linear/ready", key).statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  void tritonsClientRunsATensorModelThroughTheGateway() throws Exception {
    float[][] x = new RandomTensors(1).floats(2, 4);

    JsonNode answer = JSON.readTree(KServeClient.install()
        .infer("127.0.0.1:" + testbed.gateway().runPort(), ns + "/linear", key, JSON.writeValueAsString(x)));

    assertThat(answer.path("metadata").path("name").asText()).isEqualTo(ns + "/linear");
    assertThat(answer.path("metadata").path("inputs").get(0).path("name").asText()).isEqualTo("x");
    float[][] expected = ReferenceMath.linear(x, WEIGHTS, BIAS);
    for (int row = 0; row < expected.length; row++) {
      float[] got = new float[expected[row].length];
      for (int col = 0; col < got.length; col++) {
        got[col] = (float) answer.path("y").get(row).get(col).asDouble();
      }
      assertThat(got).as("row %d", row).containsExactly(expected[row], within(1e-5f));
    }
  }

  @Test
  void errorsOnV2PathsAreV2Errors() throws Exception {
    String input = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";

    assertV2Error(post("/v2/models/" + ns + "/linear/infer", input, null), 401);
    assertV2Error(post("/v2/models/" + ns + "/linear/infer", input, echoKey), 403);
    assertV2Error(post("/v2/models/" + ns + "/missing/infer", input, wideKey), 404);
    assertV2Error(post("/v2/models/" + ns + "/linear/infer", "{not json", key), 422);
    assertV2Error(post("/v2/models/linear/infer", input, key), 404);
    HttpResponse<String> notTensor = post("/v2/models/" + ns + "/echo/infer", input, key);
    assertThat(notTensor.statusCode()).isBetween(400, 499);
    assertThat(JSON.readTree(notTensor.body()).path("error").asText()).contains("tensor");
  }

  @Test
  void healthIsTheGatewaysOwnAndReadinessFollowsTheReplicas() throws Exception {
    assertThat(JSON.readTree(get("/v2/health/live", null).body()).path("live").asBoolean()).isTrue();
    assertThat(get("/v2/health/ready", null).statusCode()).isEqualTo(200);
    testbed.unservedModel("cold-ready");

    await("cold-ready is known").atMost(GatewayTestbed.TIMEOUT)
        .until(() -> get("/v2/models/" + ns + "/cold-ready/ready", wideKey).statusCode() != 404);
    HttpResponse<String> cold = get("/v2/models/" + ns + "/cold-ready/ready", wideKey);
    assertThat(cold.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(cold.body()).path("ready").asBoolean()).isFalse();
    assertV2Error(get("/v2/models/" + ns + "/cold-ready", wideKey), 503);
  }

  @Test
  void statsCountArrivalsAndShowRequestsWaitingForAModelWithoutReplicas() throws Exception {
    testbed.unservedModel("cold");
    await("cold is known").atMost(GatewayTestbed.TIMEOUT)
        .until(() -> get("/v2/models/" + ns + "/cold/ready", wideKey).statusCode() != 404);
    long before = stats("linear").map(model -> model.path("arrived").asLong()).orElse(0L);
    String input = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";
    assertThat(post("/v2/models/" + ns + "/linear/infer", input, key).statusCode()).isEqualTo(200);
    assertThat(http.send(HttpRequest.newBuilder(testbed.queue("/" + ns + "/cold"))
        .header("Authorization", "Key " + wideKey).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(input)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(200);

    JsonNode linear = stats("linear").orElseThrow();
    assertThat(linear.path("arrived").asLong()).isGreaterThanOrEqualTo(before + 1);
    assertThat(linear.path("replicas").asInt()).isEqualTo(1);
    JsonNode cold = stats("cold").orElseThrow();
    assertThat(cold.path("arrived").asLong()).isEqualTo(1);
    assertThat(cold.path("queued").asInt()).isEqualTo(1);
    assertThat(cold.path("queuedNormal").asInt()).isEqualTo(1);
    assertThat(cold.path("inFlight").asInt()).isZero();
    assertThat(cold.path("replicas").asInt()).isZero();
    assertThat(get("/stats", null).body()).as("the demand is for the cluster's callers only, on the ops listener")
        .doesNotContain("\"models\"");
  }

  private static Optional<JsonNode> stats(String model) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(testbed.ops("/stats")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    return StreamSupport.stream(JSON.readTree(answer.body()).path("models").spliterator(), false)
        .filter(node -> node.path("namespace").asText().equals(ns) && node.path("name").asText().equals(model))
        .findFirst();
  }

  private static void assertV2Error(HttpResponse<String> answer, int status) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("error").isTextual()).as(answer.body()).isTrue();
    assertThat(body.has("detail")).as(answer.body()).isFalse();
  }

  private static HttpResponse<String> post(String path, String body, String apiKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(testbed.run(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (apiKey != null) {
      request.header("Authorization", "Key " + apiKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String apiKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(testbed.run(path)).GET();
    if (apiKey != null) {
      request.header("Authorization", "Key " + apiKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
