package dev.kiln.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.GatewayTestbed;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI's official Python client ({@value FalClients#OPENAI_PYTHON_CLIENT}, from PyPI) generating
 * images through the gateway's {@code /v1/images/generations}, from a {@code text-to-image} Model
 * served by the test-only fake ({@link dev.kiln.gateway.worker.FakeTextToImageTask}) on a real
 * runtime (127.0.85.1:8080).
 */
@LocalKubernetes
class OpenAiPythonClientIT {

  private static final String WORKER_IP = "127.0.85.1";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path work;
  private static GatewayTestbed testbed;
  private static String key;

  @BeforeAll
  static void start(TestCluster cluster) throws Exception {
    testbed = GatewayTestbed.start(cluster, work, WORKER_IP, Optional.empty());
    testbed.fakeTextToImageModel("fox");
    testbed.unservedModel("linear");
    key = testbed.apiKey("images", "images-secret", List.of(), Optional.empty());
    testbed.awaitServing(key);
    await("fox is served").atMost(GatewayTestbed.TIMEOUT).until(() -> generate(key, "fox").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  void openAisClientGeneratesPngsOfTheRequestedSizeAndNumber() throws Exception {
    Path python = FalClients.openAiPython();
    Path script = Path.of(OpenAiPythonClientIT.class.getResource("openai_images.py").toURI());

    Processes.Outcome outcome = Processes.run(List.of(python.toString(), script.toString(),
            "http://127.0.0.1:" + testbed.gateway().runPort() + "/v1", testbed.namespace() + "/fox"),
        Map.of("OPENAI_API_KEY", key, "NO_PROXY", "127.0.0.1", "no_proxy", "127.0.0.1"),
        work.resolve("script-logs"), SCRIPT_TIMEOUT);

    assertThat(outcome.exitCode()).as(outcome.describe()).isZero();
    JsonNode report = JSON.readTree(outcome.stdout());
    assertThat(report.path("created").asLong()).isPositive();
    assertThat(report.path("images")).hasSize(2);
    for (JsonNode image : report.path("images")) {
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(image.asText())));
      assertThat(png).as("a PNG").isNotNull();
      assertThat(png.getWidth()).isEqualTo(64);
      assertThat(png.getHeight()).isEqualTo(64);
    }
  }

  @Test
  void aModelOfAnotherTaskIsAnInvalidRequest() throws Exception {
    HttpResponse<String> answer = generate(key, "linear");

    assertThat(answer.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(answer.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo("model");
    assertThat(error.path("message").asText()).contains("tensor");
  }

  @Test
  void theModelsOwnErrorPassesThroughWithItsStatus() throws Exception {
    // Within the gateway's limit of 4096 pixels a side, over the fake model's 1024.
    HttpResponse<String> answer = generate(key, "fox", "2048x2048");

    assertThat(answer.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(answer.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("wrong_size");
    assertThat(error.path("message").asText()).contains("image_size");
  }

  @Test
  void aWrongKeyIsRefusedInOpenAisShape() throws Exception {
    HttpResponse<String> answer = generate(testbed.namespace() + "/images:wrong", "fox");

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(answer.body()).path("error").path("code").asText()).isEqualTo("invalid_api_key");
  }

  /** One 8x8 image of {@code model} by plain HTTP, with {@code apiKey} as OpenAI's clients send it. */
  private static HttpResponse<String> generate(String apiKey, String model) throws Exception {
    return generate(apiKey, model, "8x8");
  }

  private static HttpResponse<String> generate(String apiKey, String model, String size) throws Exception {
    return http.send(HttpRequest.newBuilder(testbed.run("/v1/images/generations"))
        .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + testbed.namespace() + "/" + model
            + "\", \"prompt\": \"a red fox\", \"size\": \"" + size + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
