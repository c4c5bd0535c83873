package dev.kiln.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.GatewayTestbed;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.net.http.HttpClient;
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
 * fal's official Python client ({@value FalClients#PYTHON_CLIENT}, from PyPI) against the gateway
 * over https, pointed at it only by {@code FAL_RUN_HOST} and {@code FAL_QUEUE_RUN_HOST}, in front
 * of a real runtime (127.0.81.1:8080). The script {@code fal_python_client.py} runs once and
 * reports what every call returned; each test checks one part of it.
 */
@LocalKubernetes
class FalPythonClientIT {

  private static final String WORKER_IP = "127.0.81.1";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;
  private static GatewayTestbed testbed;
  private static JsonNode report;

  @BeforeAll
  static void runTheClient(TestCluster cluster) throws Exception {
    Path python = FalClients.python();
    TestCertificates certificates = TestCertificates.create(work.resolve("tls"));
    testbed = GatewayTestbed.start(cluster, work, WORKER_IP, Optional.of(certificates.server()));
    String key = testbed.apiKey("python", "python-secret", List.of("echo", "slow"), Optional.empty());
    testbed.awaitServing(key, HttpClient.newBuilder().sslContext(certificates.clientContext()).build());

    String ns = testbed.namespace();
    Path script = Path.of(FalPythonClientIT.class.getResource("fal_python_client.py").toURI());
    Processes.Outcome outcome = Processes.run(List.of(python.toString(), script.toString(), ns + "/echo", ns + "/slow"),
        Map.of("FAL_RUN_HOST", "127.0.0.1:" + testbed.gateway().runPort(),
            "FAL_QUEUE_RUN_HOST", "127.0.0.1:" + testbed.gateway().queuePort(),
            "FAL_KEY", key,
            "SSL_CERT_FILE", certificates.certificateAuthority().toString(),
            "NO_PROXY", "127.0.0.1", "no_proxy", "127.0.0.1"),
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
  void subscribeReportsQueueUpdatesWithLogsAndReturnsTheOutput() {
    assertThat(report.path("subscribe").path("input").path("prompt").asText()).isEqualTo("subscribe");
    assertThat(report.path("subscribe").path("service_time_ms").asInt()).isEqualTo(400);
    List<String> updates = JSON.convertValue(report.path("subscribe_updates"), List.class);
    assertThat(updates).isNotEmpty().last().isEqualTo("Completed");
  }

  @Test
  void aSubmittedRequestsStatusAndResultAreReadByItsId() {
    JsonNode status = report.path("submit_status");
    assertThat(status.path("type").asText()).isEqualTo("Completed");
    assertThat(status.path("logs").isArray()).as("logs asked for").isTrue();
    assertThat(status.path("metrics").path("inference_time").asDouble()).isPositive();
    assertThat(report.path("submit_result").path("input").path("prompt").asText()).isEqualTo("submit");
  }

  @Test
  void aCancelledQueuedRequestCompletesWithAnErrorAndHasNoResult() {
    JsonNode status = report.path("cancelled_status");
    assertThat(status.path("type").asText()).isEqualTo("Completed");
    assertThat(status.path("error").isTextual()).as("error of %s", status).isTrue();
    assertThat(report.path("cancelled_result").path("raised").asBoolean()).isTrue();
    assertThat(report.path("cancelled_result").path("status_code").asInt()).isBetween(400, 599);
    assertThat(report.path("busy_results").findValuesAsText("prompt")).containsExactly("busy", "busy");
  }

  @Test
  void streamEndsWithTheOutput() {
    JsonNode events = report.path("stream");
    assertThat(events.isArray() && !events.isEmpty()).as("events %s", events).isTrue();
    assertThat(events.get(events.size() - 1).path("input").path("prompt").asText()).isEqualTo("stream");
  }
}
