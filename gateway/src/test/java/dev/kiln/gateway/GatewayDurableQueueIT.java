package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.store.Database;
import dev.kiln.gateway.webhook.WebhookSignatures;
import dev.kiln.gateway.store.DurableQueueSettings;
import dev.kiln.gateway.store.TestPostgres;
import dev.kiln.gateway.store.UsageRows;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway replicas that keep the queue in one PostgreSQL: a request accepted by one is run by whichever has a worker
 * with room, and read, streamed, fetched and cancelled through any of them; a replica that stops leaves what it
 * accepted to the others.
 */
@LocalKubernetes
class GatewayDurableQueueIT {

  private static final Duration TIMEOUT = GatewayTestbed.TIMEOUT;
  private static final String WORKER_IP = "127.0.87.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static DurableQueueSettings durableQueue;
  private static Database database;
  private static GatewayTestbed testbed;
  private static Gateway a;
  private static Gateway b;
  private static String ns;
  private static String key;
  private static WebhookReceiver receiver;

  @BeforeAll
  static void start(TestCluster cluster) throws Exception {
    durableQueue = new DurableQueueSettings(TestPostgres.freshDatabase(), Duration.ofSeconds(3));
    testbed = GatewayTestbed.startDurable(cluster, work, WORKER_IP, "gw-a", durableQueue);
    a = testbed.gateway();
    b = testbed.startReplica("gw-b");
    database = Database.open(durableQueue.database());
    receiver = new WebhookReceiver();
    ns = testbed.namespace();
    testbed.unservedModel("waiting");
    key = testbed.apiKey("ci", "ci-secret", List.of(), Optional.of(1000));
    await("both replicas serve echo").atMost(TIMEOUT).until(() -> ready(a) && ready(b)
        && call("POST", testbed.run(a, "/" + ns + "/echo"), "{}").statusCode() == 200
        && call("POST", testbed.run(b, "/" + ns + "/echo"), "{}").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    if (testbed != null) {
      testbed.close();
    }
    if (database != null) {
      database.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void requestsAcceptedByEitherReplicaCompleteOnceAndAreReadThroughTheOther() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(submit(i % 2 == 0 ? a : b, "echo", "{\"prompt\":\"durable-" + i + "\"}"));
    }

    for (int i = 0; i < ids.size(); i++) {
      Gateway other = i % 2 == 0 ? b : a;
      String path = "/" + ns + "/echo/requests/" + ids.get(i);
      await("request " + i + " completes").atMost(TIMEOUT)
          .until(() -> status(other, path).path("status").asText().equals("COMPLETED"));
      HttpResponse<String> result = call("GET", testbed.queue(other, path), null);
      assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
      assertThat(result.body()).contains("durable-" + i);
    }
    assertThat(usageRowsOf(ids)).as("one usage row per request").isEqualTo(ids.size());
  }

  @Test
  void aStatusStreamThroughTheOtherReplicaEndsWithTheCompletion() throws Exception {
    String path = "/" + ns + "/slow/requests/" + submit(a, "slow", "{\"prompt\":\"streamed\"}");

    List<String> states = new ArrayList<>();
    http.send(request("GET", testbed.queue(b, path + "/status/stream"), null), HttpResponse.BodyHandlers.ofLines())
        .body().filter(line -> line.startsWith("data: "))
        .forEach(line -> states.add(read(line.substring(6)).path("status").asText()));

    assertThat(states).isNotEmpty().endsWith("COMPLETED").doesNotHaveDuplicates();
    assertThat(call("GET", testbed.queue(a, path), null).body()).contains("streamed");
  }

  @Test
  void waitingRequestsShowOneQueueAcrossReplicasAndAreCancelledThroughEither() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(submit(i < 2 ? a : b, "waiting", "{}"));
    }
    String last = "/" + ns + "/waiting/requests/" + ids.getLast();

    JsonNode waiting = status(a, last);
    HttpResponse<String> cancelled = call("PUT", testbed.queue(a, last + "/cancel"), null);

    assertThat(waiting.path("status").asText()).isEqualTo("IN_QUEUE");
    assertThat(waiting.path("queue_position").asInt()).as("three wait ahead, two on each replica").isEqualTo(3);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
    JsonNode done = status(b, last);
    assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(done.path("error").asText()).isNotEmpty();
    assertThat(call("PUT", testbed.queue(b, last + "/cancel"), null).statusCode()).isEqualTo(400);
    for (String id : ids.subList(0, 3)) {
      call("PUT", testbed.queue(b, "/" + ns + "/waiting/requests/" + id + "/cancel"), null);
    }
  }

  @Test
  void aReplicaThatStopsLeavesWhatItAcceptedToTheOthers() throws Exception {
    Gateway stopping = testbed.startReplica("gw-c");
    await("gw-c serves").atMost(TIMEOUT).until(() -> ready(stopping));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(submit(stopping, "slow", "{\"prompt\":\"handed-over-" + i + "\"}"));
    }

    stopping.shutdown(Duration.ofSeconds(30));

    for (int i = 0; i < ids.size(); i++) {
      String path = "/" + ns + "/slow/requests/" + ids.get(i);
      await("request " + i + " completes").atMost(TIMEOUT)
          .until(() -> status(a, path).path("status").asText().equals("COMPLETED"));
      assertThat(call("GET", testbed.queue(b, path), null).body()).contains("handed-over-" + i);
    }
    assertThat(usageRowsOf(ids)).isEqualTo(ids.size());
  }

  @Test
  void aWebhookFailingThreeTimesIsDeliveredOnTheFourthSignedAndItsAttemptsShowInTheStatus() throws Exception {
    URI hook = receiver.url("/durable-flaky", 3);
    String id = submit(a, "echo?fal_webhook=" + URLEncoder.encode(hook.toString(), StandardCharsets.UTF_8),
        "{\"prompt\":\"hooked\"}");

    WebhookReceiver.Delivery accepted = await("an accepted delivery").atMost(TIMEOUT)
        .until(() -> receiver.deliveries("/durable-flaky").stream().filter(delivery -> delivery.answered() == 200)
            .findFirst(), Optional::isPresent).orElseThrow();
    JsonNode status = await("the status shows the delivery").atMost(TIMEOUT)
        .until(() -> status(b, "/" + ns + "/echo/requests/" + id).path("webhook"),
            webhook -> webhook.path("state").asText().equals("DELIVERED"));

    assertThat(receiver.deliveries("/durable-flaky")).extracting(WebhookReceiver.Delivery::answered)
        .containsExactly(503, 503, 503, 200);
    assertThat(accepted.headers().get("x-fal-webhook-request-id")).isEqualTo(id);
    assertThat(new String(accepted.body(), StandardCharsets.UTF_8)).contains("hooked").contains(id);
    JsonNode jwks = read(call("GET", testbed.queue(b, "/.well-known/jwks.json"), null).body());
    assertThat(WebhookSignatures.verifies(WebhookSignatures.publicKey(jwks), accepted.headers(), accepted.body()))
        .as("signed with the key the other replica publishes").isTrue();
    assertThat(status.path("attempts")).extracting(attempt -> attempt.path("status").asInt())
        .containsExactly(503, 503, 503, 200);
  }

  @Test
  void aBatchOfAThousandInputsCompletesItemByItemAndItsStatusAddsUp() throws Exception {
    StringBuilder inputs = new StringBuilder("{\"inputs\":[");
    for (int i = 0; i < 1000; i++) {
      inputs.append(i == 0 ? "" : ",").append("{\"prompt\":\"batch-").append(i).append("\"}");
    }
    HttpResponse<String> submitted = call("POST", testbed.queue(a, "/-/batches/" + ns + "/echo"),
        inputs.append("]}").toString());
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
    JsonNode batch = read(submitted.body());
    List<String> ids = new ArrayList<>();
    batch.path("requests").forEach(item -> ids.add(item.path("request_id").asText()));
    assertThat(ids).hasSize(1000).doesNotHaveDuplicates();

    JsonNode done = await("the batch completes").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
        .until(() -> {
          JsonNode status = read(call("GET", URI.create(testbed.queue(b, "/-/batches/" + batch.path("batch_id")
              .asText()).toString()), null).body());
          assertThat(status.path("in_queue").asInt() + status.path("in_progress").asInt()
              + status.path("completed").asInt()).as("the batch adds up at every moment").isEqualTo(1000);
          return status;
        }, status -> status.path("completed").asInt() == 1000);

    assertThat(done.path("total").asInt()).isEqualTo(1000);
    assertThat(done.path("succeeded").asInt()).isEqualTo(1000);
    assertThat(done.path("failed").asInt()).isZero();
    assertThat(done.path("requests")).extracting(item -> item.path("request_id").asText()).containsExactlyElementsOf(ids);
    for (int i : List.of(0, 499, 999)) {
      String path = "/" + ns + "/echo/requests/" + ids.get(i);
      assertThat(status(b, path).path("status").asText()).isEqualTo("COMPLETED");
      assertThat(call("GET", testbed.queue(a, path), null).body()).contains("batch-" + i);
    }
    assertThat(usageRowsOf(ids)).isEqualTo(1000);
  }

  @Test
  void webhooksToMetadataOrPrivateAddressesAreRefusedAtSubmitUnlessAllowListed() throws Exception {
    for (String internal : List.of("http://169.254.169.254/latest/meta-data", "http://10.0.0.7/hook",
        "http://kiln-gateway.kiln.svc.cluster.local/hook")) {
      HttpResponse<String> refused = call("POST", testbed.queue(a, "/" + ns + "/echo?fal_webhook="
          + URLEncoder.encode(internal, StandardCharsets.UTF_8)), "{}");

      assertThat(refused.statusCode()).as(internal).isEqualTo(400);
      assertThat(refused.body()).contains("KILN_GATEWAY_WEBHOOK_ALLOW");
    }
    assertThat(submit(a, "echo?fal_webhook=" + URLEncoder.encode(receiver.url("/allowed", 0).toString(),
        StandardCharsets.UTF_8), "{}")).as("loopback, allow-listed in these tests").isNotEmpty();
  }

  @Test
  void aLargeImageInAnOutputIsServedFromAUrlOnTheHostTheCallerUsed() throws Exception {
    byte[] png = new byte[100_000];
    new Random(11).nextBytes(png);
    String id = submit(a, "echo", "{\"image_url\":\"data:image/png;base64," + Base64.getEncoder().encodeToString(png)
        + "\"}");
    String path = "/" + ns + "/echo/requests/" + id;
    await("it completes").atMost(TIMEOUT).until(() -> status(b, path).path("status").asText().equals("COMPLETED"));

    JsonNode result = read(call("GET", testbed.queue(b, path), null).body());
    String url = result.path("input").path("image_url").asText();
    HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(url).isEqualTo(testbed.queue(b, "/-/results/" + id + "/0").toString());
    assertThat(image.statusCode()).isEqualTo(200);
    assertThat(image.headers().firstValue("Content-Type")).contains("image/png");
    assertThat(image.body()).isEqualTo(png);
    assertThat(http.send(HttpRequest.newBuilder(testbed.queue(a, "/-/results/" + id + "/9")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }

  @Test
  void usageIsExportedPerKeyModelAndHourAsJsonAndCsv() throws Exception {
    String exporter = testbed.apiKey("exporter", "exporter-secret", List.of(), Optional.of(1000));
    for (Gateway replica : List.of(a, b)) {
      // 404 for a request that does not exist, once the key is known (401 before): nothing is metered.
      await("the replica knows the new key").atMost(TIMEOUT).until(() -> http.send(HttpRequest.newBuilder(
              testbed.queue(replica, "/" + ns + "/echo/requests/none/status")).header("Authorization", "Key " + exporter)
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 404);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(testbed.queue(i % 2 == 0 ? a : b,
              "/" + ns + "/echo")).header("Authorization", "Key " + exporter).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
      ids.add(read(submitted.body()).path("request_id").asText());
    }
    await("the requests complete").atMost(TIMEOUT).until(() -> usageRowsOf(ids) == ids.size());

    JsonNode json = read(http.send(HttpRequest.newBuilder(testbed.ops("/usage")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    String csv = http.send(HttpRequest.newBuilder(testbed.ops("/usage?format=csv")).build(),
        HttpResponse.BodyHandlers.ofString()).body();

    List<JsonNode> mine = new ArrayList<>();
    json.path("hours").forEach(hour -> {
      if (hour.path("api_key").asText().equals(ns + "/exporter")) {
        mine.add(hour);
      }
    });
    assertThat(mine).isNotEmpty();
    assertThat(mine.stream().mapToLong(hour -> hour.path("requests").asLong()).sum()).isEqualTo(5);
    assertThat(mine).allSatisfy(hour -> {
      assertThat(hour.path("model").asText()).isEqualTo(ns + "/echo");
      assertThat(hour.path("hour").asText()).endsWith(":00:00Z");
    });
    assertThat(csv.lines().findFirst()).contains("hour,api_key,model,requests,compute_seconds,cost");
    assertThat(csv).contains(",\"" + ns + "/exporter\",\"" + ns + "/echo\",5,");
    assertThat(http.send(HttpRequest.newBuilder(testbed.ops("/usage?from=yesterday")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
  }

  @Test
  void aBatchThatIsNotAListOfInputsIsRefusedWithWhatToSend() throws Exception {
    HttpResponse<String> refused = call("POST", testbed.queue(a, "/-/batches/" + ns + "/echo"), "{\"inputs\":[]}");

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("inputs");
    assertThat(call("GET", testbed.queue(b, "/-/batches/no-such-batch"), null).statusCode()).isEqualTo(404);
  }

  private static String submit(Gateway replica, String model, String body) throws Exception {
    HttpResponse<String> submitted = call("POST", testbed.queue(replica, "/" + ns + "/" + model), body);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
    return read(submitted.body()).path("request_id").asText();
  }

  private static JsonNode status(Gateway replica, String requestPath) throws Exception {
    return read(call("GET", testbed.queue(replica, requestPath + "/status"), null).body());
  }

  private static int usageRowsOf(List<String> ids) throws SQLException {
    return UsageRows.of(database, ids);
  }

  private static boolean ready(Gateway replica) throws Exception {
    return http.send(HttpRequest.newBuilder(testbed.queue(replica, "/readyz")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }

  private static HttpResponse<String> call(String method, URI uri, String body) throws Exception {
    return http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(String method, URI uri, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return request.header("Authorization", "Key " + key).build();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(json, e);
    }
  }
}
