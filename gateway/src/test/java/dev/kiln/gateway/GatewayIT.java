package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on a real control plane, as the {@code kiln-gateway} ServiceAccount, in front of a
 * real runtime on a pod address (127.0.78.1:8080) holding the models the pod's annotation says;
 * every call is real HTTP on loopback.
 */
@LocalKubernetes
class GatewayIT {

  private static final Duration TIMEOUT = GatewayTestbed.TIMEOUT;
  private static final String WORKER_IP = "127.0.78.1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path work;
  private static GatewayTestbed testbed;
  private static String ns;
  private static String key;
  /** A key that may call every model of the namespace. */
  private static String wideKey;

  @BeforeAll
  static void start(TestCluster cluster) throws Exception {
    testbed = GatewayTestbed.start(cluster, work, WORKER_IP, Optional.empty());
    ns = testbed.namespace();
    key = testbed.apiKey("ci", "ci-secret", List.of("echo", "slow"), Optional.empty());
    testbed.apiKey("tight", "tight-secret", List.of("echo"), Optional.of(1));
    wideKey = testbed.apiKey("wide", "wide-secret", List.of(), Optional.empty());
    testbed.awaitServing(key);
  }

  @AfterAll
  static void stop() {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  void aRunAnswersWithTheModelsOutputAndItsRequestId() throws Exception {
    HttpResponse<String> answer = post(run("/" + ns + "/echo"), "{\"prompt\":\"hi\"}", key);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("x-fal-request-id")).isPresent();
    assertThat(JSON.readTree(answer.body()).isObject()).isTrue();
  }

  @Test
  void aQueuedRequestIsSubmittedPolledAndFetchedThroughTheUrlsItWasGiven() throws Exception {
    JsonNode submitted = JSON.readTree(post(queue("/" + ns + "/echo/fast"), "{\"prompt\":\"hi\"}", key).body());
    assertThat(submitted.path("status").asText()).isEqualTo("IN_QUEUE");
    assertThat(submitted.path("queue_position").isInt()).isTrue();
    String statusUrl = submitted.path("status_url").asText();
    assertThat(statusUrl).startsWith(queue("/" + ns + "/echo/requests/").toString());

    JsonNode completed = await("COMPLETED").atMost(TIMEOUT).until(
        () -> JSON.readTree(get(URI.create(statusUrl), Optional.of(key)).body()),
        status -> status.path("status").asText().equals("COMPLETED"));
    assertThat(completed.path("metrics").path("inference_time").asDouble()).isPositive();
    assertThat(completed.has("logs")).isTrue();
    assertThat(completed.path("logs").isNull()).as("logs not asked for").isTrue();
    JsonNode withLogs = JSON.readTree(get(URI.create(statusUrl + "?logs=1"), Optional.of(key)).body());
    assertThat(withLogs.path("logs")).as("the runtime's log lines").isNotEmpty();
    assertThat(withLogs.path("logs").get(0).path("message").asText()).startsWith("echo v1 ran in");

    HttpResponse<String> result = get(URI.create(submitted.path("response_url").asText()), Optional.of(key));
    assertThat(result.statusCode()).isEqualTo(200);
    HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create(submitted.path("cancel_url").asText()))
        .header("Authorization", "Key " + key).PUT(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(cancel.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(cancel.body()).path("status").asText()).isEqualTo("ALREADY_COMPLETED");
  }

  @Test
  void theStatusStreamSendsEachChangeAndEndsWithCompleted() throws Exception {
    JsonNode submitted = JSON.readTree(post(queue("/" + ns + "/slow"), "{}", key).body());

    HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(
            URI.create(submitted.path("status_url").asText() + "/stream"))
        .header("Authorization", "Key " + key).GET().build(), HttpResponse.BodyHandlers.ofLines());

    assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    List<String> states = new ArrayList<>();
    stream.body().filter(line -> line.startsWith("data: ")).forEach(line -> {
      try {
        states.add(JSON.readTree(line.substring(6)).path("status").asText());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(states).isNotEmpty().endsWith("COMPLETED").doesNotHaveDuplicates();
  }

  @Test
  void callsThatCannotBeServedGetFalsErrorShapes() throws Exception {
    assertError(post(run("/" + ns + "/echo"), "{}", null), 401);
    assertError(post(run("/" + ns + "/echo"), "{}", ns + "/ci:wrong"), 401);
    assertError(post(run("/" + ns + "/private"), "{}", key), 403);
    assertError(post(run("/" + ns + "/absent"), "{}", key), 403);
    assertError(post(run("/" + ns + "/absent"), "{}", wideKey), 404);
    assertError(get(queue("/" + ns + "/echo/requests/no-such-id/status"), Optional.of(key)), 404);
    HttpResponse<String> malformed = post(run("/" + ns + "/echo"), "{not json", key);
    assertThat(malformed.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(malformed.body()).path("detail").get(0).path("loc").get(0).asText()).isEqualTo("body");
    assertError(post(run("/workflows/me/flow"), "{}", key), 404);
    HttpResponse<String> oversized = post(run("/" + ns + "/echo"), "{\"prompt\":\"" + "x".repeat(2 << 20) + "\"}", key);
    assertError(oversized, 413);
    assertThat(JSON.readTree(oversized.body()).path("detail").asText()).contains("KILN_GATEWAY_MAX_BODY_BYTES");
  }

  @Test
  void aRequestThatCannotStartBeforeItsTimeoutGets504RequestTimeout() throws Exception {
    var busy = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return post(run("/" + ns + "/slow"), "{}", key);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    HttpResponse<String> late;
    do {
      late = http.send(HttpRequest.newBuilder(run("/" + ns + "/slow")).header("Authorization", "Key " + key)
          .header("Content-Type", "application/json").header("X-Fal-Request-Timeout", "0.05")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    } while (late.statusCode() == 200 && !busy.isDone());

    assertThat(late.statusCode()).as(late.body()).isEqualTo(504);
    assertThat(late.headers().firstValue("X-Fal-Error-Type")).contains("request_timeout");
    assertThat(late.headers().firstValue("X-Fal-Request-Timeout-Type")).contains("user");
    assertThat(late.headers().firstValue("x-fal-request-id")).isPresent();
    assertThat(busy.get().statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyOverItsRateLimitGets429WithRetryAfter() throws Exception {
    String tight = ns + "/tight:tight-secret";
    HttpResponse<String> last = null;
    for (int i = 0; i < 5 && (last == null || last.statusCode() != 429); i++) {
      last = post(run("/" + ns + "/echo"), "{}", tight);
    }

    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(seconds ->
        assertThat(Long.parseLong(seconds)).isPositive());
  }

  @Test
  void theJsClientsProxyRoutesByTheTargetUrl() throws Exception {
    HttpResponse<String> ran = http.send(HttpRequest.newBuilder(run("/fal/proxy"))
        .header("Authorization", "Key " + key).header("Content-Type", "application/json")
        .header("x-fal-target-url", "https://fal.run/" + ns + "/echo")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ran.statusCode()).isEqualTo(200);

    HttpResponse<String> queued = http.send(HttpRequest.newBuilder(run("/fal/proxy"))
        .header("Authorization", "Key " + key).header("Content-Type", "application/json")
        .header("x-fal-target-url", "https://queue.fal.run/" + ns + "/echo")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(queued.body()).path("status_url").asText())
        .as("the JS client sends it back through the proxy").startsWith("https://queue.fal.run/" + ns + "/echo/requests/");
  }

  @Test
  void aKeysMeteredComputeSecondsAreTheSumOfItsInferenceTimes() throws Exception {
    String metered = testbed.apiKey("metered", "metered-secret", List.of("echo"), Optional.empty());
    testbed.awaitServing(metered);
    double before = computeSeconds("metered");
    double inferenceTimes = 0;
    for (int i = 0; i < 5; i++) {
      JsonNode submitted = JSON.readTree(post(queue("/" + ns + "/echo"), "{}", metered).body());
      JsonNode done = await("COMPLETED").atMost(TIMEOUT).until(
          () -> JSON.readTree(get(URI.create(submitted.path("status_url").asText()), Optional.of(metered)).body()),
          status -> status.path("status").asText().equals("COMPLETED"));
      inferenceTimes += done.path("metrics").path("inference_time").asDouble();
    }

    assertThat(computeSeconds("metered") - before).isCloseTo(inferenceTimes, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void metricsHaveEachModelsLatencyHistogramAndDemand() throws Exception {
    assertThat(post(run("/" + ns + "/echo"), "{}", key).statusCode()).isEqualTo(200);

    List<String> metrics = get(run("/metrics"), Optional.empty()).body().lines()
        .filter(line -> line.contains("model=\"echo\"") && line.contains("namespace=\"" + ns + "\"")).toList();

    assertThat(metrics).anyMatch(line -> line.startsWith("kiln_gateway_request_duration_seconds_bucket{")
        && line.contains("outcome=\"ok\"") && line.contains("le=\"+Inf\""));
    assertThat(metrics).anyMatch(line -> line.startsWith("kiln_gateway_request_duration_seconds_count{")
        && !line.endsWith(" 0.0"));
    assertThat(metrics).anyMatch(line -> line.startsWith("kiln_gateway_queued_requests{"))
        .anyMatch(line -> line.startsWith("kiln_gateway_in_flight_requests{"));
  }

  /** {@code kiln_gateway_compute_seconds_total} of the key {@code name} on /metrics. */
  private static double computeSeconds(String name) throws Exception {
    String line = get(run("/metrics"), Optional.empty()).body().lines()
        .filter(l -> l.startsWith("kiln_gateway_compute_seconds_total{") && l.contains("api_key=\"" + ns + "/" + name + "\""))
        .findFirst().orElseThrow();
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private static void assertError(HttpResponse<String> answer, int status) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(JSON.readTree(answer.body()).path("detail").asText()).isNotBlank();
  }

  private static URI run(String path) {
    return testbed.run(path);
  }

  private static URI queue(String path) {
    return testbed.queue(path);
  }

  private static HttpResponse<String> post(URI uri, String body, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Key " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(URI uri, Optional<String> key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    key.ifPresent(k -> request.header("Authorization", "Key " + k));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
