package dev.kiln.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.GatewayTestbed;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fal's official JS client ({@value FalClients#JS_CLIENT}, from npm) against the gateway through
 * its proxy endpoint ({@code proxyUrl} with {@code when: "always"}), in front of a real runtime
 * (127.0.81.1:8080). The script {@code fal_js_client.js} runs once and reports what every call
 * returned; each test checks one part of it.
 */
@LocalKubernetes
class FalJsClientIT {

  private static final String WORKER_IP = "127.0.81.1";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;
  private static GatewayTestbed testbed;
  private static JsonNode report;

  @BeforeAll
  static void runTheClient(TestCluster cluster) throws Exception {
    Path nodeModules = FalClients.nodeModules();
    testbed = GatewayTestbed.start(cluster, work, WORKER_IP, Optional.empty());
    String key = testbed.apiKey("js", "js-secret", List.of("echo", "slow"), Optional.empty());
    testbed.awaitServing(key);

    String ns = testbed.namespace();
    Path script = Path.of(FalJsClientIT.class.getResource("fal_js_client.js").toURI());
    Processes.Outcome outcome = Processes.run(
        List.of("node", script.toString(), testbed.run("/fal/proxy").toString(), ns + "/echo", ns + "/slow"),
        Map.of("NODE_PATH", nodeModules.toString(), "FAL_KEY", key),
        work.resolve("script-logs"), SCRIPT_TIMEOUT);
    assertThat(outcome.exitCode()).as(outcome.describe()).isZero();
    report = JSON.readTree(outcome.stdout());
    System.out.println("fal client report: " + outcome.stdout());
  }

  @AfterAll
  static void stop() {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  void runAnswersWithTheModelsOutput() {
    assertThat(report.path("run").path("input").path("prompt").asText()).isEqualTo("run");
    assertThat(report.path("run").path("service_time_ms").asInt()).isEqualTo(5);
  }

  @Test
  void subscribeByPollingReportsQueueUpdatesWithLogsAndReturnsTheOutput() {
    assertSubscribed(report.path("subscribe"), "subscribe polling");
  }

  @Test
  void subscribeByStreamingStatusReportsQueueUpdatesWithLogsAndReturnsTheOutput() {
    assertSubscribed(report.path("subscribe_streaming"), "subscribe streaming");
  }

  @Test
  void aSubmittedRequestsStatusAndResultAreReadByItsId() {
    JsonNode status = report.path("submit_status");
    assertThat(status.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(status.path("logs").isArray()).as("logs asked for").isTrue();
    assertThat(status.path("metrics").path("inference_time").asDouble()).isPositive();
    assertThat(report.path("submit_result").path("input").path("prompt").asText()).isEqualTo("submit");
  }

  @Test
  void aCancelledQueuedRequestCompletesWithAnErrorAndHasNoResult() {
    JsonNode status = report.path("cancelled_status");
    assertThat(status.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(status.path("error").isTextual()).as("error of %s", status).isTrue();
    JsonNode result = report.path("cancelled_result");
    assertThat(result.path("raised").asBoolean()).isTrue();
    assertThat(result.path("apiError").asBoolean()).as("raised %s", result).isTrue();
    assertThat(result.path("status").asInt()).isBetween(400, 599);
    assertThat(report.path("busy_results").findValuesAsText("prompt")).containsExactly("busy", "busy");
  }

  @Test
  void streamEndsWithTheOutput() {
    JsonNode stream = report.path("stream");
    JsonNode events = stream.path("events");
    assertThat(events.isArray() && !events.isEmpty()).as("events %s", stream).isTrue();
    assertThat(events.get(events.size() - 1).path("input").path("prompt").asText()).isEqualTo("stream");
    assertThat(stream.path("done").path("input").path("prompt").asText()).isEqualTo("stream");
  }

  private static void assertSubscribed(JsonNode subscribed, String prompt) {
    assertThat(subscribed.path("data").path("input").path("prompt").asText()).isEqualTo(prompt);
    assertThat(subscribed.path("data").path("service_time_ms").asInt()).isEqualTo(400);
    assertThat(subscribed.path("requestId").asText()).isNotEmpty();
    JsonNode updates = subscribed.path("updates");
    assertThat(updates.isArray() && !updates.isEmpty()).as("updates %s", subscribed).isTrue();
    JsonNode last = updates.get(updates.size() - 1);
    assertThat(last.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(last.path("hasLogs").asBoolean()).as("logs in %s", last).isTrue();
  }
}
