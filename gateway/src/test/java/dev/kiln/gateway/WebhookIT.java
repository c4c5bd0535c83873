package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.gateway.webhook.WebhookSignatures;
import dev.kiln.testing.junit.TestCluster;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fal_webhook} end to end: the gateway on a real control plane in front of a real runtime
 * (127.0.82.1:8080) delivers each queued request's outcome, signed, to a receiver on loopback.
 */
@LocalKubernetes
class WebhookIT {

  private static final Duration TIMEOUT = GatewayTestbed.TIMEOUT;
  private static final String WORKER_IP = "127.0.82.1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path work;
  private static GatewayTestbed testbed;
  private static WebhookReceiver receiver;
  private static String ns;
  private static String key;

  @BeforeAll
  static void start(TestCluster cluster) throws Exception {
    testbed = GatewayTestbed.start(cluster, work, WORKER_IP, Optional.empty());
    receiver = new WebhookReceiver();
    ns = testbed.namespace();
    key = testbed.apiKey("hooks", "hooks-secret", List.of(), Optional.empty());
    testbed.awaitServing(key);
  }

  @AfterAll
  static void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  void aDeliveryThatFailsOnceIsRetriedAndAcceptedOnceSignedOverItsExactBytes() throws Exception {
    URI hook = receiver.url("/flaky", 1);

    String requestId = submit("echo", hook, Map.of()).path("request_id").asText();

    WebhookReceiver.Delivery accepted = await("an accepted delivery").atMost(TIMEOUT)
        .until(() -> accepted("/flaky"), deliveries -> !deliveries.isEmpty()).getFirst();
    assertThat(accepted("/flaky")).hasSize(1);
    assertThat(receiver.deliveries("/flaky")).extracting(WebhookReceiver.Delivery::answered).containsExactly(503, 200);
    assertThat(accepted.headers()).containsEntry("x-fal-webhook-request-id", requestId)
        .containsEntry("x-fal-webhook-user-id", ns + "/hooks");
    assertThat(signatureValid(accepted, publicKey(testbed.queue("/.well-known/jwks.json")))).isTrue();
    assertThat(signatureValid(accepted, publicKey(testbed.run("/.well-known/jwks.json")))).isTrue();
    JsonNode body = JSON.readTree(accepted.body());
    assertThat(body.path("request_id").asText()).isEqualTo(requestId);
    assertThat(body.path("status").asText()).isEqualTo("OK");
    HttpResponse<String> result = get(testbed.queue("/" + ns + "/echo/requests/" + requestId));
    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(body.get("payload")).isEqualTo(JSON.readTree(result.body()));
  }

  @Test
  void aRequestWhoseStartDeadlinePassesGetsAnErrorWebhook() throws Exception {
    URI hook = receiver.url("/late", 0);
    for (int i = 0; i < 3; i++) {
      submit("slow", receiver.url("/busy", 0), Map.of());
    }

    String requestId = submit("slow", hook, Map.of("X-Fal-Request-Timeout", "0.05")).path("request_id").asText();

    WebhookReceiver.Delivery delivery = await("an error delivery").atMost(TIMEOUT)
        .until(() -> accepted("/late"), deliveries -> !deliveries.isEmpty()).getFirst();
    JsonNode body = JSON.readTree(delivery.body());
    assertThat(body.path("request_id").asText()).isEqualTo(requestId);
    assertThat(body.path("status").asText()).isEqualTo("ERROR");
    assertThat(body.path("error").asText()).contains("X-Fal-Request-Timeout");
    assertThat(body.path("payload").path("error_type").asText()).isEqualTo("request_timeout");
  }

  @Test
  void aRequestForAnUnknownModelIsNotQueuedAndNeverCalledBack() throws Exception {
    URI hook = receiver.url("/unknown-then-known", 0);

    HttpResponse<String> refused = post(testbed.queue("/" + ns + "/no-such-model?fal_webhook=" + encode(hook)),
        Map.of());
    String known = submit("echo", hook, Map.of()).path("request_id").asText();

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(404);
    await("the known model's delivery").atMost(TIMEOUT).until(() -> !accepted("/unknown-then-known").isEmpty());
    assertThat(receiver.deliveries("/unknown-then-known"))
        .extracting(delivery -> delivery.headers().get("x-fal-webhook-request-id"))
        .containsExactly(known);
  }

  @Test
  void aWebhookThatIsNotAnAbsoluteHttpUrlIsRefusedWith400() throws Exception {
    HttpResponse<String> refused = post(testbed.queue("/" + ns + "/echo?fal_webhook=" + encode("ftp://example.com/h")),
        Map.of());

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).path("detail").asText()).contains("fal_webhook");
  }

  private static List<WebhookReceiver.Delivery> accepted(String path) {
    return receiver.deliveries(path).stream().filter(delivery -> delivery.answered() == 200).toList();
  }

  private static JsonNode submit(String model, URI hook, Map<String, String> headers) throws Exception {
    HttpResponse<String> answer = post(testbed.queue("/" + ns + "/" + model + "?fal_webhook=" + encode(hook)), headers);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private static HttpResponse<String> post(URI uri, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .header("Authorization", "Key " + key).POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}"));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Key " + key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(Object value) {
    return URLEncoder.encode(value.toString(), StandardCharsets.UTF_8);
  }

  private static PublicKey publicKey(URI jwks) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(jwks).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    return WebhookSignatures.publicKey(JSON.readTree(answer.body()));
  }

  private static boolean signatureValid(WebhookReceiver.Delivery delivery, PublicKey key) throws Exception {
    return WebhookSignatures.verifies(key, delivery.headers(), delivery.body());
  }
}
