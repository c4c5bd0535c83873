package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.crds.model.Model;
import dev.kiln.gateway.Gateway;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.GatewayFixture;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.pool.DrainSettings;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.scaling.ScalingSettings;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.NodeAgent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale from zero on a real control plane: an OnDemand model that went idle and was unloaded is
 * loaded again because a request waits for it at a real gateway. The operator finds the gateway
 * by its pod (labelled as the chart labels it, its status written here since no kubelet runs it)
 * and reads its {@code /stats} on the pod address; the request completes once the model is warm.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
class ColdStartFromGatewayIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String POOL = "cold";
  private static final String MODEL = "sleepy";
  private static final String GATEWAY_IP = "127.0.84.1";
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
  private static final ScalingSettings FAST = new ScalingSettings(
      Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static NodeAgent kubelet;
  private static KilnOperator operator;
  private static Gateway gateway;
  private static PoolResidency residency;
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  static Path work;

  @RegisterExtension
  static final TestWatcher DUMP_ON_FAILURE = PoolResidency.dumpOnFailure(() -> residency, () -> kubelet);

  @BeforeAll
  static void start(TestCluster testCluster) throws Exception {
    cluster = testCluster;
    admin = cluster.admin();
    String namespace = cluster.namespace();
    residency = new PoolResidency(admin, namespace, POOL);
    kubelet = OperatorFixture.prepare(cluster, FakeNode.gpu("cold-gpu-" + namespace, 1));
    operator = KilnOperator.start(cluster.clientAs("kiln-operator"),
        new OperatorSettings(Set.of(namespace), OperatorFixture.IMAGE, 0, Optional.empty(), FAST, DrainSettings.defaults()));
    cluster.closeAfterClass(operator::stop);
    gateway = GatewayFixture.start(cluster, GATEWAY_IP, work);
    admin.resource(OperatorFixture.gpuPool(namespace, POOL, 1, 1)).create();
  }

  @Test
  void aRequestQueuedAtTheGatewayLoadsAnIdleOnDemandModelAgainAndCompletes() throws Exception {
    String key = GatewayFixture.apiKey(admin, cluster.namespace());
    await("the pool's worker Ready").atMost(TIMEOUT).until(() -> residency.workers().stream()
        .anyMatch(WorkerPods::ready));
    Model model = OperatorFixture.onDemandSyntheticModel(cluster.namespace(), MODEL, POOL, 0, 1);
    model.getSpec().getResidency().setIdleTimeout(IDLE_TIMEOUT.toSeconds() + "s");
    admin.resource(model).create();
    await(MODEL + " resident, applying it is demand").atMost(TIMEOUT)
        .until(() -> residency.residentWorkers(MODEL).size() == 1);
    await(MODEL + " unloaded once idle, no replica wanted").atMost(TIMEOUT).until(() -> residency.model(MODEL),
        m -> residency.residentWorkers(MODEL).isEmpty() && m.getStatus() != null
            && Integer.valueOf(0).equals(m.getStatus().getDesiredReplicas()));
    assertThat(residency.events(MODEL, ModelEvents.UNLOADED)).singleElement()
        .satisfies(event -> assertThat(event.getMessage()).contains("idleTimeout"));

    Instant submitted = Instant.now();
    JsonNode accepted = await("the gateway accepts the key").atMost(TIMEOUT).until(() -> submit(key),
        answer -> answer.statusCode() == 200).body();
    assertThat(accepted.path("status").asText()).isEqualTo("IN_QUEUE");

    JsonNode done = await("the request COMPLETED").atMost(TIMEOUT).until(
        () -> JSON.readTree(get(URI.create(accepted.path("status_url").asText()), key).body()),
        status -> status.path("status").asText().equals("COMPLETED"));
    assertThat(done.path("request_id").asText()).isEqualTo(accepted.path("request_id").asText());

    List<Event> loads = residency.events(MODEL, ModelEvents.LOADED);
    assertThat(loads).as("loaded at creation and again for the waiting request").hasSize(2);
    assertThat(loads).anySatisfy(event -> assertThat(Instant.parse(event.getFirstTimestamp()))
        .isAfterOrEqualTo(submitted.truncatedTo(ChronoUnit.SECONDS)));
    assertThat(residency.events(MODEL, "ScaledUp")).extracting(Event::getMessage)
        .anyMatch(message -> message.startsWith("desired replicas 0 → 1: scaling up from 0 to 1: 1 request waits with no replica"));
    Instant since = submitted.truncatedTo(ChronoUnit.SECONDS);
    await(MODEL + " status shows the load and the demand").atMost(TIMEOUT).until(() -> residency.model(MODEL).getStatus(),
        status -> !Instant.parse(status.getLastLoadTime()).isBefore(since)
            && !Instant.parse(status.getLastRequestTime()).isBefore(since));
    assertThat(metrics().lines()).as("the creation and the demand episode").anyMatch(line -> line.matches(
        "kiln_model_cold_start_seconds_count\\{[^}]*model=\"" + MODEL + "\"[^}]*namespace=\"" + cluster.namespace()
            + "\"[^}]*} 2(\\.0)?"));
  }

  private record Answer(int statusCode, JsonNode body) {}

  private static Answer submit(String key) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
            URI.create("http://" + GATEWAY_IP + ":" + gateway.queuePort() + "/" + cluster.namespace() + "/" + MODEL))
        .header("Authorization", "Key " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"wake up\"}")).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(answer.statusCode(), answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null);
  }

  private static HttpResponse<String> get(URI uri, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Key " + key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String metrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
