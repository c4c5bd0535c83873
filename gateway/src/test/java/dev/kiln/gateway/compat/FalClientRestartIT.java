package dev.kiln.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.Gateway;
import dev.kiln.gateway.GatewayTestbed;
import dev.kiln.gateway.store.DurableQueueSettings;
import dev.kiln.gateway.store.TestPostgres;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fal's official Python and JS clients submit requests to a gateway that keeps its queue in PostgreSQL; the gateway
 * is restarted as a rolling update would (the successor on the same address); the clients then poll and fetch every
 * result from the successor, including those of requests that were still waiting when the first one stopped.
 */
@LocalKubernetes
class FalClientRestartIT {

  private static final String WORKER_IP = "127.0.90.1";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REQUESTS = 6;

  @TempDir
  Path work;

  @Test
  void requestsSubmittedBeforeARestartAreFetchedAfterIt(TestCluster cluster) throws Exception {
    Path python = FalClients.python();
    Path nodeModules = FalClients.nodeModules();
    TestCertificates certificates = TestCertificates.create(work.resolve("tls"));
    DurableQueueSettings durableQueue = new DurableQueueSettings(TestPostgres.freshDatabase(), Duration.ofSeconds(3));
    try (GatewayTestbed testbed = GatewayTestbed.startDurable(cluster, work, WORKER_IP,
        Optional.of(certificates.server()), "gw-1", durableQueue)) {
      String key = testbed.apiKey("python", "python-secret", List.of(), Optional.of(1000));
      testbed.awaitServing(key, HttpClient.newBuilder().sslContext(certificates.clientContext()).build());
      Gateway first = testbed.gateway();
      Map<String, String> env = Map.of(
          "FAL_RUN_HOST", "127.0.0.1:" + first.runPort(),
          "FAL_QUEUE_RUN_HOST", "127.0.0.1:" + first.queuePort(),
          "FAL_KEY", key,
          "SSL_CERT_FILE", certificates.certificateAuthority().toString(),
          "NO_PROXY", "127.0.0.1", "no_proxy", "127.0.0.1");
      Path script = Path.of(FalClientRestartIT.class.getResource("fal_python_restart.py").toURI());
      Path jsScript = Path.of(FalClientRestartIT.class.getResource("fal_js_restart.js").toURI());
      String slow = testbed.namespace() + "/slow";
      String proxy = "https://127.0.0.1:" + first.runPort() + "/fal/proxy";
      Map<String, String> jsEnv = Map.of("NODE_PATH", nodeModules.toString(), "FAL_KEY", key,
          "NODE_EXTRA_CA_CERTS", certificates.certificateAuthority().toString(), "NO_PROXY", "127.0.0.1");

      Processes.Outcome submitted = Processes.run(
          List.of(python.toString(), script.toString(), "submit", slow, Integer.toString(REQUESTS)), env,
          work.resolve("submit-logs"), SCRIPT_TIMEOUT);
      assertThat(submitted.exitCode()).as(submitted.describe()).isZero();
      List<String> ids = new ArrayList<>();
      JSON.readTree(submitted.stdout()).forEach(id -> ids.add(id.asText()));
      Processes.Outcome jsSubmitted = Processes.run(
          List.of("node", jsScript.toString(), "submit", proxy, slow, Integer.toString(REQUESTS)), jsEnv,
          work.resolve("js-submit-logs"), SCRIPT_TIMEOUT);
      assertThat(jsSubmitted.exitCode()).as(jsSubmitted.describe()).isZero();
      List<String> jsIds = new ArrayList<>();
      JSON.readTree(jsSubmitted.stdout()).forEach(id -> jsIds.add(id.asText()));
      testbed.restart(first, "gw-2");
      List<String> collect = new ArrayList<>(List.of(python.toString(), script.toString(), "collect", slow));
      collect.addAll(ids);
      Processes.Outcome collected = Processes.run(collect, env, work.resolve("collect-logs"), SCRIPT_TIMEOUT);
      List<String> jsCollect = new ArrayList<>(List.of("node", jsScript.toString(), "collect", proxy, slow));
      jsCollect.addAll(jsIds);
      Processes.Outcome jsCollected = Processes.run(jsCollect, jsEnv, work.resolve("js-collect-logs"), SCRIPT_TIMEOUT);

      assertThat(ids).hasSize(REQUESTS).doesNotHaveDuplicates();
      assertThat(collected.exitCode()).as(collected.describe()).isZero();
      JsonNode results = JSON.readTree(collected.stdout());
      assertThat(results).hasSize(REQUESTS);
      for (int i = 0; i < REQUESTS; i++) {
        assertThat(results.get(i).path("input").path("prompt").asText()).isEqualTo("restart-" + i);
      }
      assertThat(jsCollected.exitCode()).as(jsCollected.describe()).isZero();
      JsonNode jsResults = JSON.readTree(jsCollected.stdout());
      assertThat(jsResults).hasSize(REQUESTS);
      for (int i = 0; i < REQUESTS; i++) {
        assertThat(jsResults.get(i).path("input").path("prompt").asText()).isEqualTo("js-restart-" + i);
      }
    }
  }
}
