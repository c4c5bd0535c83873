package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kiln's end-to-end scenarios, on whichever {@link KilnCluster} a subclass starts. They run in order on one cluster,
 * as an operator of Kiln would go through them: install and serve, then uninstall.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class KilnScenarios {

  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  static final Path EXAMPLES = REPOSITORY.resolve("examples");
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The key examples/api-keys.yaml gives the web app. */
  private static final String WEB_APP_SECRET = "3f9c1e0a7b5d4c2e8f6a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e";
  private static final int REQUESTS = 100;
  /** The worker's log line for a run: "<model> <version> ran in <ms> ms". */
  private static final Pattern RAN_ON = Pattern.compile(" ([0-9a-f]{12}) ran in ");
  private static final Pattern COMPUTE_SECONDS =
      Pattern.compile("^kiln_gateway_compute_seconds_total\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private KilnCluster cluster;

  /** Starts the cluster, with Kiln installed, keeping what it writes in {@code work}. */
  abstract KilnCluster startCluster(Path work) throws Exception;

  @BeforeAll
  void start(@TempDir Path work) throws Exception {
    cluster = startCluster(work);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * Scenario 1: the examples' CPU pool, synthetic Hot model and API keys are applied; the pool becomes ready with the
   * model resident; 100 queued requests all succeed; the key's metered compute seconds are what the requests' own
   * statuses say.
   */
  @Test
  @Order(1)
  void aHotModelFromTheExamplesServesAHundredRequestsAndTheirUsageAddsUp() throws Exception {
    cluster.apply(EXAMPLES.resolve("cpu-pool.yaml"));
    cluster.apply(EXAMPLES.resolve("synthetic-model.yaml"));
    cluster.apply(EXAMPLES.resolve("api-keys.yaml"));
    String key = cluster.namespace() + "/web-app:" + WEB_APP_SECRET;

    await("the synthetic model is resident and ready on " + cluster.provider()).atMost(TIMEOUT)
        .until(() -> model("synthetic").getStatus() != null && model("synthetic").getStatus().getReadyReplicas() != null
            && model("synthetic").getStatus().getReadyReplicas() >= 1);
    await("the cpu pool has a ready worker").atMost(TIMEOUT).until(() -> {
      GpuPool pool = cluster.admin().resources(GpuPool.class).inNamespace(cluster.namespace()).withName("cpu").get();
      return pool.getStatus() != null && pool.getStatus().getReadyWorkers() != null
          && pool.getStatus().getReadyWorkers() >= 1;
    });
    await("the gateway routes to it").atMost(TIMEOUT)
        .until(() -> post(cluster.gatewayRun().resolve("/" + cluster.namespace() + "/synthetic"), key).statusCode() == 200);
    double meteredBefore = meteredComputeSeconds(cluster.namespace() + "/web-app");

    List<String> statusUrls = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      HttpResponse<String> submitted = post(cluster.gatewayQueue().resolve("/" + cluster.namespace() + "/synthetic"),
          key);
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
      statusUrls.add(JSON.readTree(submitted.body()).path("status_url").asText());
    }
    double computeSeconds = 0;
    for (String statusUrl : statusUrls) {
      JsonNode done = completed(statusUrl, key);
      assertThat(done.path("error").isMissingNode() || done.path("error").isNull()).as(done.toString()).isTrue();
      computeSeconds += done.path("metrics").path("inference_time").asDouble();
    }

    assertThat(computeSeconds).isPositive();
    assertThat(meteredComputeSeconds(cluster.namespace() + "/web-app") - meteredBefore)
        .as("kiln_gateway_compute_seconds_total of the key").isCloseTo(computeSeconds, within(1e-6 * REQUESTS));
  }

  /**
   * Scenario 2: the Hot model gets a new version (a new source, and a load that takes two seconds) while a caller keeps
   * submitting: the old copy serves until the new one is warm, no request fails, and once the model's status shows the
   * new version ready every request runs on it.
   */
  @Test
  @Order(2)
  void aNewModelVersionRollsOutUnderLoadWithoutAFailedRequest() throws Exception {
    String key = cluster.namespace() + "/web-app:" + WEB_APP_SECRET;
    URI submit = cluster.gatewayQueue().resolve("/" + cluster.namespace() + "/synthetic");
    String before = model("synthetic").getStatus().getVersion();
    List<String> statusUrls;
    int acceptedOnceReady;
    String after;
    try (SteadyLoad load = SteadyLoad.start(http, submit, key)) {
      await("load is running").atMost(TIMEOUT).until(() -> load.accepted() >= 20);
      cluster.admin().resources(Model.class).inNamespace(cluster.namespace()).withName("synthetic").edit(model -> {
        model.getSpec().getSource().setUri(model.getSpec().getSource().getUri().replace(".onnx", "-v2.onnx"));
        model.getSpec().setOptions(JSON.createObjectNode().put("loadTimeMillis", 2000));
        return model;
      });
      after = await("the model's status names the new version").atMost(TIMEOUT)
          .until(() -> model("synthetic").getStatus().getVersion(), version -> !version.equals(before));
      await("the new version is resident and ready").atMost(TIMEOUT).until(() -> {
        var status = model("synthetic").getStatus();
        return status.getVersion().equals(after) && status.getReadyReplicas() != null && status.getReadyReplicas() >= 1;
      });
      acceptedOnceReady = load.accepted();
      await("requests keep coming after the switch").atMost(TIMEOUT)
          .until(() -> load.accepted() >= acceptedOnceReady + 20);
      statusUrls = load.stop();
    }

    List<String> versions = new ArrayList<>();
    for (String statusUrl : statusUrls) {
      JsonNode done = completed(statusUrl + "?logs=1", key);
      assertThat(done.hasNonNull("error")).as("no request fails during the rollout: " + done).isFalse();
      versions.add(ranOn(done));
    }
    System.out.printf("scenario 2 on %s: %d requests during the rollout from %s to %s, none failed; %d ran on the "
        + "old version%n", cluster.provider(), versions.size(), before, after,
        versions.stream().filter(before::equals).count());
    assertThat(versions).as("each request ran on the old or the new version").allMatch(
        version -> version.equals(before) || version.equals(after));
    assertThat(versions.getFirst()).as("the old copy served until the new one was warm").isEqualTo(before);
    assertThat(versions.subList(acceptedOnceReady, versions.size()))
        .as("once the status shows the new version ready, no request runs on the old one").containsOnly(after);
  }

  /**
   * Scenario 3: the model's worker pod is deleted at once, as a lost node would take it, while callers keep submitting:
   * every request completes, with the model's output or a clear error, none hangs; the pool gets a new worker and
   * serves again.
   */
  @Test
  @Order(3)
  void aWorkerThatDiesUnderLoadLeavesNoRequestHangingAndThePoolHeals() throws Exception {
    String key = cluster.namespace() + "/web-app:" + WEB_APP_SECRET;
    URI submit = cluster.gatewayQueue().resolve("/" + cluster.namespace() + "/synthetic");
    Pod doomed = readyWorker("cpu", Optional.empty());
    Pod replacement;
    List<String> statusUrls;
    try (SteadyLoad load = SteadyLoad.start(http, submit, key)) {
      await("load is running").atMost(TIMEOUT).until(() -> load.accepted() >= 20);
      cluster.admin().pods().inNamespace(cluster.namespace()).withName(doomed.getMetadata().getName())
          .withGracePeriod(0).delete();
      replacement = readyWorker("cpu", Optional.of(doomed.getMetadata().getName()));
      await("requests run on the new worker").atMost(TIMEOUT).until(() -> post(cluster.gatewayRun()
          .resolve("/" + cluster.namespace() + "/synthetic"), key).statusCode() == 200);
      statusUrls = load.stop();
    }

    List<String> errors = new ArrayList<>();
    for (String statusUrl : statusUrls) {
      JsonNode done = completed(statusUrl, key);
      if (done.hasNonNull("error")) {
        errors.add(done.path("error_type").asText());
      }
    }
    System.out.printf("scenario 3 on %s: %d requests submitted around the worker's loss, %d failed with "
        + "runner_disconnected, the rest ran%n", cluster.provider(), statusUrls.size(), errors.size());
    assertThat(replacement.getMetadata().getName()).isNotEqualTo(doomed.getMetadata().getName());
    assertThat(errors).as("each failure says the worker went away").allMatch(type -> type.equals("runner_disconnected"));
    assertThat(errors.size()).as("most requests ran").isLessThan(statusUrls.size());
  }

  /** The status of the request at {@code statusUrl} once it has completed. */
  private JsonNode completed(String statusUrl, String key) {
    return await("a request completes").atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> JSON.readTree(get(URI.create(statusUrl), key).body()),
            status -> status.path("status").asText().equals("COMPLETED"));
  }

  /** The model version a completed request ran on, as the worker's log line for it says. */
  private static String ranOn(JsonNode status) {
    for (JsonNode line : status.path("logs")) {
      Matcher ran = RAN_ON.matcher(line.path("message").asText());
      if (ran.find()) {
        return ran.group(1);
      }
    }
    throw new AssertionError("no log line says which version ran: " + status);
  }

  /**
   * Scenario 4: the pools, models and keys are deleted, Kiln is uninstalled and its CRDs removed: no worker pod, no
   * Kiln resource and no Kiln API is left, and the gateway answers no more.
   */
  @Test
  @Order(4)
  void uninstallingLeavesNothingBehind() {
    String namespace = cluster.namespace();
    cluster.admin().resources(Model.class).inNamespace(namespace).delete();
    cluster.admin().resources(ApiKey.class).inNamespace(namespace).delete();
    cluster.admin().resources(GpuPool.class).inNamespace(namespace).delete();
    await("the worker pods are gone").atMost(TIMEOUT)
        .until(() -> cluster.admin().pods().inNamespace(namespace).withLabel("kiln.dev/pool").list().getItems().isEmpty());

    URI gateway = cluster.gatewayRun();
    cluster.uninstall(TIMEOUT);
    cluster.admin().apiextensions().v1().customResourceDefinitions().withLabel("app.kubernetes.io/part-of", "kiln")
        .delete();
    List<CustomResourceDefinition> left = cluster.admin().apiextensions().v1().customResourceDefinitions().list()
        .getItems().stream().filter(crd -> crd.getSpec().getGroup().equals("kiln.dev")).toList();
    left.forEach(crd -> cluster.admin().resource(crd).delete());

    await("Kiln's APIs are gone").atMost(TIMEOUT).until(() -> cluster.admin().apiextensions().v1()
        .customResourceDefinitions().list().getItems().stream().noneMatch(crd -> crd.getSpec().getGroup()
            .equals("kiln.dev")));
    assertThat(cluster.admin().pods().inAnyNamespace().withLabel("kiln.dev/pool").list().getItems()).isEmpty();
    await("the gateway answers no more").atMost(TIMEOUT).until(() -> !answers(gateway));
  }

  /** A ready worker of {@code pool}, other than {@code not}. */
  private Pod readyWorker(String pool, Optional<String> not) {
    return await("a ready worker in pool " + pool).atMost(TIMEOUT).until(() -> cluster.admin().pods()
        .inNamespace(cluster.namespace()).withLabel("kiln.dev/pool", pool).list().getItems().stream()
        .filter(pod -> not.map(name -> !name.equals(pod.getMetadata().getName())).orElse(true))
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
            && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
            .anyMatch(condition -> condition.getType().equals("Ready") && condition.getStatus().equals("True")))
        .findFirst(), Optional::isPresent).orElseThrow();
  }

  private Model model(String name) {
    return cluster.admin().resources(Model.class).inNamespace(cluster.namespace()).withName(name).get();
  }

  /** The key's {@code kiln_gateway_compute_seconds_total}, summed over its models, outcomes and gateway replicas. */
  private double meteredComputeSeconds(String apiKey) throws Exception {
    double total = 0;
    for (URI ops : cluster.gatewayOps()) {
      String metrics = http.send(HttpRequest.newBuilder(ops.resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher sample = COMPUTE_SECONDS.matcher(metrics);
      while (sample.find()) {
        if (sample.group(1).contains("api_key=\"" + apiKey + "\"")) {
          total += Double.parseDouble(sample.group(2));
        }
      }
    }
    return total;
  }

  /** Whether anything at {@code uri} answers HTTP. */
  private boolean answers(URI uri) throws InterruptedException {
    try {
      http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private HttpResponse<String> post(URI uri, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Key " + key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(URI uri, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Key " + key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }
}
