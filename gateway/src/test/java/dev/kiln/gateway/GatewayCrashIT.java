package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.store.Database;
import dev.kiln.gateway.store.DatabaseSettings;
import dev.kiln.gateway.store.DurableQueueSettings;
import dev.kiln.gateway.store.TestPostgres;
import dev.kiln.gateway.store.UsageRows;
import dev.kiln.local.controlplane.ServiceAccountKubeconfig;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway replica killed with SIGKILL while it holds queued and running requests: the other replica runs every one
 * of them to completion, each completes once, each has one usage row, and each webhook arrives (at least once, told
 * apart by its request id).
 */
@LocalKubernetes
class GatewayCrashIT {

  private static final Duration TIMEOUT = GatewayTestbed.TIMEOUT;
  private static final String WORKER_IP = "127.0.88.1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REQUESTS = 500;

  @TempDir
  Path work;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void everyRequestOfAKilledReplicaCompletesOnceThroughTheOther(TestCluster cluster) throws Exception {
    DatabaseSettings database = TestPostgres.freshDatabase();
    try (GatewayTestbed testbed = GatewayTestbed.startDurable(cluster, work, WORKER_IP, "gw-survivor",
            new DurableQueueSettings(database, Duration.ofSeconds(3)));
        Database ledger = Database.open(database);
        WebhookReceiver receiver = new WebhookReceiver()) {
      String hook = "?fal_webhook=" + URLEncoder.encode(receiver.url("/crash", 0).toString(), StandardCharsets.UTF_8);
      String ns = testbed.namespace();
      testbed.syntheticModel("steady", 20);
      String key = testbed.apiKey("ci", "ci-secret", List.of(), Optional.of(10_000));
      Gateway survivor = testbed.gateway();
      Path kubeconfig = ServiceAccountKubeconfig.write(cluster.controlPlane(), ns, "kiln-gateway",
          work.resolve("victim.kubeconfig"));
      try (GatewayProcess victim = GatewayProcess.start(kubeconfig, Map.of(
          "KILN_WATCH_NAMESPACES", ns,
          "KILN_GATEWAY_POD_NAME", "gw-victim",
          "KILN_GATEWAY_POD_NAMESPACE", ns,
          "KILN_GATEWAY_DATABASE_URL", database.jdbcUrl(),
          "KILN_GATEWAY_DATABASE_USER", database.user().orElseThrow(),
          "KILN_GATEWAY_LEASE_TIME", "3s",
          "KILN_GATEWAY_WEBHOOK_KEY", work.resolve("webhook-signing-key.pem").toString(),
          "KILN_GATEWAY_WEBHOOK_ALLOW", "127.0.0.0/8"),
          work.resolve("victim.log"), TIMEOUT)) {
        await("both replicas take requests").atMost(TIMEOUT).until(() ->
            post(victim.queue("/" + ns + "/steady"), key, "{}").statusCode() == 200
                && post(testbed.queue(survivor, "/" + ns + "/steady"), key, "{}").statusCode() == 200);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          URI submit = i % 2 == 0
              ? victim.queue("/" + ns + "/steady" + hook)
              : testbed.queue(survivor, "/" + ns + "/steady" + hook);
          HttpResponse<String> accepted = post(submit, key, "{\"prompt\":\"crash-" + i + "\"}");
          assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
          ids.add(JSON.readTree(accepted.body()).path("request_id").asText());
        }
        victim.kill();
        assertThat(unfinished(ledger, ids)).as("requests left waiting or running by the killed replica").isPositive();

        for (int i = 0; i < ids.size(); i++) {
          String path = "/" + ns + "/steady/requests/" + ids.get(i);
          JsonNode status = await("request " + i + " completes").atMost(TIMEOUT).pollDelay(Duration.ZERO)
              .pollInterval(Duration.ofMillis(50))
              .until(() -> read(get(testbed.queue(survivor, path + "/status"), key).body()),
                  polled -> polled.path("status").asText().equals("COMPLETED"));
          assertThat(status.path("error").isMissingNode() || status.path("error").isNull())
              .as("request %d completed with %s", i, status).isTrue();
          assertThat(get(testbed.queue(survivor, path), key).body()).contains("crash-" + i);
        }
        await("every webhook arrives").atMost(TIMEOUT).until(() -> receiver.deliveries("/crash").stream()
            .filter(delivery -> delivery.answered() == 200)
            .map(delivery -> delivery.headers().get("x-fal-webhook-request-id"))
            .collect(Collectors.toSet()).containsAll(ids));
        assertThat(UsageRows.of(ledger, ids)).as("requests with a usage row").isEqualTo(REQUESTS);
      }
    }
  }

  private static int unfinished(Database ledger, List<String> ids) throws SQLException {
    try (Connection connection = ledger.dataSource().getConnection();
        PreparedStatement count = connection.prepareStatement(
            "SELECT count(*) FROM requests WHERE state <> 'COMPLETED' AND id = ANY (?)")) {
      count.setArray(1, connection.createArrayOf("text", ids.toArray()));
      try (ResultSet row = count.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  private HttpResponse<String> post(URI uri, String key, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Key " + key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(URI uri, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Key " + key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(json, e);
    }
  }
}
