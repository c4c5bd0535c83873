package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.compat.TestCertificates;
import dev.kiln.gateway.replicas.ReplicaId;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway replicas behind one Service, over https as fal's clients call: a request lives in
 * the replica that accepted it ({@code gw-a}), and a poll, result, stream or cancel that the
 * Service sends to the other ({@code gw-b}) is answered all the same, with URLs that name the
 * host the caller used. The replicas find each other from their pods.
 */
@LocalKubernetes
class GatewayReplicasIT {

  private static final Duration TIMEOUT = GatewayTestbed.TIMEOUT;
  private static final String WORKER_IP = "127.0.86.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;
  private static HttpClient http;
  private static GatewayTestbed testbed;
  private static Gateway a;
  private static Gateway b;
  private static String ns;
  private static String key;

  @BeforeAll
  static void start(TestCluster cluster) throws Exception {
    TestCertificates certificates = TestCertificates.create(work.resolve("tls"));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(certificates.clientContext()).build();
    testbed = GatewayTestbed.startReplicated(cluster, work, WORKER_IP, Optional.of(certificates.server()), "gw-a");
    a = testbed.gateway();
    b = testbed.startReplica("gw-b");
    ns = testbed.namespace();
    key = testbed.apiKey("ci", "ci-secret", List.of("slow"), Optional.empty());
    testbed.apiKey("other", "other-secret", List.of("echo"), Optional.empty());
    await("both replicas serve slow").atMost(TIMEOUT).until(() -> ready(a) && ready(b)
        && call("POST", testbed.run(a, "/" + ns + "/slow"), "{}", Optional.of(key), List.of()).statusCode() == 200
        && call("POST", testbed.run(b, "/" + ns + "/slow"), "{}", Optional.of(key), List.of()).statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  void aRequestTakenByOneReplicaIsPolledStreamedAndFetchedThroughTheOther() throws Exception {
    JsonNode submitted = submit(a, "{\"prompt\":\"across\"}");
    String requestPath = "/" + ns + "/slow/requests/" + submitted.path("request_id").asText();

    HttpResponse<String> polled = call("GET", testbed.queue(b, requestPath + "/status"), null, Optional.of(key), List.of());
    assertThat(polled.statusCode()).as(polled.body()).isEqualTo(202);
    assertThat(JSON.readTree(polled.body()).path("status").asText()).isIn("IN_QUEUE", "IN_PROGRESS");
    assertThat(JSON.readTree(polled.body()).path("response_url").asText())
        .as("the URLs name the replica the caller reached").isEqualTo(testbed.queue(b, requestPath).toString());

    List<String> states = new ArrayList<>();
    http.send(request("GET", testbed.queue(b, requestPath + "/status/stream"), null, Optional.of(key), List.of()),
        HttpResponse.BodyHandlers.ofLines()).body().filter(line -> line.startsWith("data: "))
        .forEach(line -> states.add(read(line.substring(6)).path("status").asText()));
    assertThat(states).isNotEmpty().endsWith("COMPLETED").doesNotHaveDuplicates();

    HttpResponse<String> throughB = call("GET", testbed.queue(b, requestPath), null, Optional.of(key), List.of());
    HttpResponse<String> fromA = call("GET", testbed.queue(a, requestPath), null, Optional.of(key), List.of());
    assertThat(throughB.statusCode()).isEqualTo(200);
    assertThat(throughB.body()).isEqualTo(fromA.body()).contains("across");
    assertThat(throughB.headers().firstValue("x-fal-request-id")).contains(submitted.path("request_id").asText());
  }

  @Test
  void aRequestIsCancelledThroughTheOtherReplica() throws Exception {
    List<JsonNode> submitted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      submitted.add(submit(a, "{}"));
    }
    String last = "/" + ns + "/slow/requests/" + submitted.getLast().path("request_id").asText();

    HttpResponse<String> cancelled = call("PUT", testbed.queue(b, last + "/cancel"), null, Optional.of(key), List.of());

    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
    assertThat(read(cancelled.body()).path("status").asText()).isEqualTo("CANCELLATION_REQUESTED");
    JsonNode done = await("cancelled request completes").atMost(TIMEOUT).until(
        () -> read(call("GET", testbed.queue(a, last + "/status"), null, Optional.of(key), List.of()).body()),
        status -> status.path("status").asText().equals("COMPLETED"));
    assertThat(done.path("error").asText()).isNotEmpty();
  }

  @Test
  void callersAreCheckedBeforeAnythingIsForwarded() throws Exception {
    String requestPath = "/" + ns + "/slow/requests/" + submit(a, "{}").path("request_id").asText() + "/status";

    assertThat(call("GET", testbed.queue(b, requestPath), null, Optional.empty(), List.of()).statusCode()).isEqualTo(401);
    assertThat(call("GET", testbed.queue(b, requestPath), null, Optional.of(ns + "/other:other-secret"), List.of())
        .statusCode()).isEqualTo(403);
  }

  @Test
  void aRequestOfAReplicaThatHasStoppedIsNotFoundAndSaysWhy() throws Exception {
    String orphan = ReplicaId.ofPod("gw-stopped").newRequestId();

    HttpResponse<String> polled = call("GET", testbed.queue(b, "/" + ns + "/slow/requests/" + orphan + "/status"), null,
        Optional.of(key), List.of());

    assertThat(polled.statusCode()).isEqualTo(404);
    assertThat(read(polled.body()).path("detail").asText()).contains("has since stopped").contains("submit again");
  }

  @Test
  void theJsClientsProxyIsForwardedAndKeepsFalsUrls() throws Exception {
    String requestId = submit(a, "{}").path("request_id").asText();

    HttpResponse<String> polled = call("GET", testbed.run(b, "/fal/proxy"), null, Optional.of(key),
        List.of("x-fal-target-url", "https://queue.fal.run/" + ns + "/slow/requests/" + requestId + "/status"));

    assertThat(polled.statusCode()).as(polled.body()).isIn(200, 202);
    assertThat(read(polled.body()).path("status_url").asText())
        .isEqualTo("https://queue.fal.run/" + ns + "/slow/requests/" + requestId + "/status");
  }

  @Test
  void statusUrlsNameTheHostAnIngressWasCalledBy() throws Exception {
    String requestId = submit(a, "{}").path("request_id").asText();

    HttpResponse<String> polled = call("GET", testbed.queue(b, "/" + ns + "/slow/requests/" + requestId + "/status"),
        null, Optional.of(key), List.of("X-Forwarded-Host", "api.example.com", "X-Forwarded-Proto", "https"));

    assertThat(read(polled.body()).path("status_url").asText())
        .isEqualTo("https://api.example.com/" + ns + "/slow/requests/" + requestId + "/status");
  }

  private static JsonNode submit(Gateway replica, String body) throws Exception {
    HttpResponse<String> submitted = call("POST", testbed.queue(replica, "/" + ns + "/slow"), body, Optional.of(key),
        List.of());
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
    return JSON.readTree(submitted.body());
  }

  private static boolean ready(Gateway replica) throws Exception {
    return http.send(HttpRequest.newBuilder(testbed.queue(replica, "/readyz")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }

  private static HttpResponse<String> call(String method, URI uri, String body, Optional<String> key,
      List<String> headers) throws Exception {
    return http.send(request(method, uri, body, key, headers), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(String method, URI uri, String body, Optional<String> key, List<String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    key.ifPresent(value -> request.header("Authorization", "Key " + value));
    for (int i = 0; i < headers.size(); i += 2) {
      request.header(headers.get(i), headers.get(i + 1));
    }
    return request.build();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(json, e);
    }
  }
}
