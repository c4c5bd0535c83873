package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.apikey.KeyState;
import dev.kiln.gateway.store.Database;
import dev.kiln.gateway.store.DurableQueueSettings;
import dev.kiln.gateway.store.TestPostgres;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key with a spend cap, called hard through two replicas at once, both synchronously and through the queue: while
 * its requests in flight may reach the cap new ones get 429, once its spend has reached the cap they get 402, and the
 * spend passes the cap by no more than one request's cost per replica.
 */
@LocalKubernetes
class GatewaySpendCapIT {

  private static final Duration TIMEOUT = GatewayTestbed.TIMEOUT;
  private static final String WORKER_IP = "127.0.89.1";
  private static final BigDecimal CAP = new BigDecimal("0.5");
  private static final int CALLERS_PER_REPLICA = 4;

  @TempDir
  Path work;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void concurrentCallersThroughTwoReplicasStopAtTheCap(TestCluster cluster) throws Exception {
    DurableQueueSettings durableQueue = new DurableQueueSettings(TestPostgres.freshDatabase(), Duration.ofSeconds(3));
    try (GatewayTestbed testbed = GatewayTestbed.startDurable(cluster, work, WORKER_IP, "gw-a", durableQueue);
        Database ledger = Database.open(durableQueue.database())) {
      // 20 ms of compute at 1 a second: about 0.02 a request, so the cap allows about 25.
      testbed.syntheticModel("metered", 20, "1");
      String ns = testbed.namespace();
      String key = testbed.cappedApiKey("capped", "capped-secret", CAP.toPlainString());
      String free = testbed.apiKey("free", "free-secret", List.of(), java.util.Optional.of(10_000));
      List<Gateway> replicas = List.of(testbed.gateway(), testbed.startReplica("gw-b"));
      for (Gateway replica : replicas) {
        await("the replica serves metered").atMost(TIMEOUT).until(() ->
            post(testbed.run(replica, "/" + ns + "/metered"), free).statusCode() == 200);
        // 404 for a request that does not exist once the capped key is known (401 before): nothing is spent.
        await("the replica knows the capped key").atMost(TIMEOUT).until(() -> http.send(HttpRequest.newBuilder(
                testbed.queue(replica, "/" + ns + "/metered/requests/none/status")).header("Authorization", "Key " + key)
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 404);
      }

      ConcurrentLinkedQueue<HttpResponse<String>> refusals = new ConcurrentLinkedQueue<>();
      try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> running = new ArrayList<>();
        for (Gateway replica : replicas) {
          for (int i = 0; i < CALLERS_PER_REPLICA; i++) {
            URI target = i % 2 == 0 ? testbed.run(replica, "/" + ns + "/metered")
                : testbed.queue(replica, "/" + ns + "/metered");
            running.add(callers.submit(() -> {
              while (true) {
                HttpResponse<String> answer = post(target, key);
                if (answer.statusCode() == 402) {
                  refusals.add(answer);
                  return null;
                }
                assertThat(answer.statusCode()).as(answer.body()).isIn(200, 429);
              }
            }));
          }
        }
        for (Future<?> caller : running) {
          caller.get();
        }
      }
      await("every accepted request completes").atMost(TIMEOUT).until(() -> unfinished(ledger) == 0);

      BigDecimal[] spend = spend(ledger, ns + "/capped", ns + "/metered");
      BigDecimal spent = spend[0];
      BigDecimal largest = spend[1];
      System.out.printf("spend cap %s: spent %s, the most one request cost %s%n", CAP, spent.stripTrailingZeros(),
          largest.stripTrailingZeros());
      assertThat(refusals).hasSize(replicas.size() * CALLERS_PER_REPLICA);
      assertThat(refusals.peek().body()).contains("spend cap").contains("0.5").contains("spec.spendCap.amount");
      assertThat(spent).as("the cap was reached").isGreaterThanOrEqualTo(CAP.subtract(largest));
      assertThat(spent).as("passed by at most one request's cost per replica")
          .isLessThanOrEqualTo(CAP.add(largest.multiply(BigDecimal.valueOf(replicas.size()))));
      assertThat(post(testbed.run(replicas.get(1), "/" + ns + "/metered"), key).statusCode())
          .as("still refused afterwards").isEqualTo(402);
      ApiKey published = await("the key's status shows the cap reached").atMost(TIMEOUT)
          .until(() -> cluster.admin().resources(ApiKey.class).inNamespace(ns).withName("capped").get(),
              apiKey -> apiKey.getStatus() != null && apiKey.getStatus().getState() == KeyState.CAP_REACHED);
      assertThat(new BigDecimal(published.getStatus().getSpend())).isEqualByComparingTo(spent);
      assertThat(published.getStatus().getConditions()).singleElement().satisfies(condition -> {
        assertThat(condition.getType()).isEqualTo("CapReached");
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getMessage()).contains("402");
      });
      String metrics = http.send(HttpRequest.newBuilder(testbed.ops("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("kiln_api_key_spend_cap{api_key=\"" + ns + "/capped\",period=\"day\"} 0.5");
    }
  }

  private HttpResponse<String> post(URI uri, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Key " + key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int unfinished(Database ledger) throws Exception {
    try (Connection connection = ledger.dataSource().getConnection();
        PreparedStatement count = connection.prepareStatement(
            "SELECT (SELECT count(*) FROM requests WHERE state <> 'COMPLETED') "
                + "+ (SELECT count(*) FROM spend_reservations)");
        ResultSet row = count.executeQuery()) {
      row.next();
      return row.getInt(1);
    }
  }

  /** The key's total spend by its usage rows, and the most a request of the model cost (any key's). */
  private static BigDecimal[] spend(Database ledger, String apiKey, String model) throws Exception {
    try (Connection connection = ledger.dataSource().getConnection();
        PreparedStatement sum = connection.prepareStatement(
            "SELECT (SELECT COALESCE(sum(cost), 0) FROM usage WHERE api_key = ?), "
                + "(SELECT COALESCE(max(cost), 0) FROM usage WHERE model = ?)")) {
      sum.setString(1, apiKey);
      sum.setString(2, model);
      try (ResultSet row = sum.executeQuery()) {
        row.next();
        return new BigDecimal[] {row.getBigDecimal(1), row.getBigDecimal(2)};
      }
    }
  }
}
