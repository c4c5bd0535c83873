package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.gateway.Gateway;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.NodeAgent;
import dev.kiln.operator.GatewayFixture;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.RunLoad;
import dev.kiln.operator.ServingSampler;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hot model on two workers gets a new version under load through a real gateway: the new version is loaded beside
 * the old one on both workers, then every request switches to it at once. No request fails, a caller that runs one
 * request after another sees the old version and then only the new one, and both workers serve throughout. A version
 * that fails to load never takes a request, and going back to the old spec leaves nothing of it behind.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelRolloutIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String POOL = "blue-green";
  private static final String MODEL = "versioned";
  private static final int REPLICAS = 2;
  private static final String GATEWAY_IP = "127.0.86.1";
  /** The worker's log line for a run: "<model> <version> ran in <ms> ms". */
  private static final Pattern RAN_ON = Pattern.compile(" ([0-9a-f]{12}) ran in ");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newHttpClient();

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static NodeAgent kubelet;
  private static Gateway gateway;
  private static PoolResidency residency;
  private static String key;

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
    kubelet = OperatorFixture.prepare(cluster, FakeNode.gpu("bg-gpu-a-" + namespace, 2),
        FakeNode.gpu("bg-gpu-b-" + namespace, 2));
    KilnOperator operator = KilnOperator.start(cluster.clientAs("kiln-operator"),
        new OperatorSettings(Set.of(namespace), OperatorFixture.IMAGE));
    cluster.closeAfterClass(operator::stop);
    gateway = GatewayFixture.start(cluster, GATEWAY_IP, work);
    key = GatewayFixture.unlimitedApiKey(admin, namespace);

    admin.resource(OperatorFixture.gpuPool(namespace, POOL, REPLICAS, REPLICAS)).create();
    Model model = OperatorFixture.hotSyntheticModel(namespace, MODEL, POOL, REPLICAS, REPLICAS);
    model.getSpec().setOptions(JSON.createObjectNode().put("serviceTimeMillis", 20));
    admin.resource(model).create();
    await("the model served by " + REPLICAS + " workers").atMost(TIMEOUT).until(() -> serving(residency, MODEL).size() == REPLICAS);
    await("the gateway runs it").atMost(TIMEOUT).until(() -> run(MODEL).statusCode() == 200);
  }

  @Test
  @Order(1)
  void aNewVersionIsLoadedBesideTheOldAndEveryRequestSwitchesToItAtOnce() throws Exception {
    String before = residency.model(MODEL).getStatus().getVersion();
    List<String> seen;
    RunLoad load;
    try (RunLoad running = RunLoad.start(3, () -> run(MODEL)); Observer observer = Observer.start(MODEL); ServingSampler sampler = ServingSampler.start(() -> serving(residency, MODEL).size())) {
      load = running;
      await("load is running").atMost(TIMEOUT).until(() -> running.completed() >= 50 && observer.seen().size() >= 3);
      edit(model -> {
        model.getSpec().getSource().setUri("file:///dev/null?v2");
        model.getSpec().setOptions(JSON.createObjectNode().put("serviceTimeMillis", 20).put("loadTimeMillis", 3000));
        return model;
      });
      String after = await("the status names a new version").atMost(TIMEOUT)
          .until(() -> residency.model(MODEL).getStatus().getVersion(), version -> !version.equals(before));
      await("the new version serves on both workers, the old one is gone").atMost(TIMEOUT).until(() -> {
        var status = residency.model(MODEL).getStatus();
        return Integer.valueOf(REPLICAS).equals(status.getUpdatedReplicas())
            && Integer.valueOf(REPLICAS).equals(status.getReadyReplicas())
            && residency.workers().stream().allMatch(pod -> after.equals(PoolResidency.resident(pod).get(MODEL))
                && staged(pod).isEmpty());
      });
      await("the observer runs on the new version").atMost(TIMEOUT)
          .until(() -> observer.seen().size() >= 3 && observer.seen().getLast().equals(after));
      running.stop();
      seen = observer.stop();
      System.out.printf("model rollout under load: %d runs, %d failed; the observer saw %s; %d samples of the workers "
          + "serving, fewest %d%n", running.completed(), running.failures().size(), runs(seen), sampler.samples(),
          sampler.fewest());
      assertThat(sampler.fewest()).as("workers serving the model, sampled every 100 ms").isGreaterThanOrEqualTo(REPLICAS);
      int firstNew = seen.indexOf(after);
      assertThat(seen.subList(0, firstNew)).as("the old version served until the switch").containsOnly(before);
      assertThat(seen.subList(firstNew, seen.size())).as("and never again after it").containsOnly(after);
    }
    assertThat(load.failures()).as("failed runs").isEmpty();
    assertThat(residency.events(MODEL, ModelEvents.VERSION_SWITCHED)).singleElement()
        .satisfies(event -> assertThat(event.getMessage()).contains("was " + before));
    assertThat(residency.events(MODEL, ModelEvents.LOADED)).extracting(Event::getMessage)
        .anyMatch(message -> message.contains("beside the one serving"));
  }

  @Test
  @Order(2)
  void aVersionThatFailsToLoadNeverTakesARequestAndGoingBackLeavesNothingOfIt() throws Exception {
    Model good = residency.model(MODEL);
    String serving = good.getStatus().getVersion();
    edit(model -> {
      model.getSpec().setOptions(JSON.createObjectNode().put("serviceTimeMillis", -1));
      return model;
    });
    await("the load fails with its reason").atMost(TIMEOUT).until(() -> residency.events(MODEL, ModelEvents.LOAD_FAILED)
        .stream().anyMatch(event -> event.getMessage().contains("serviceTimeMillis must be a whole number")));
    assertThat(residency.model(MODEL).getStatus().getVersion()).as("requests still go to the old version")
        .isEqualTo(serving);
    assertThat(queuedRunVersion(MODEL)).isEqualTo(serving);

    edit(model -> {
      model.getSpec().setOptions(good.getSpec().getOptions());
      return model;
    });
    await("back on the old spec, served by both workers").atMost(TIMEOUT).until(() -> {
      var status = residency.model(MODEL).getStatus();
      return status.getVersion().equals(serving) && Integer.valueOf(REPLICAS).equals(status.getUpdatedReplicas())
          && residency.workers().stream().allMatch(pod -> staged(pod).isEmpty());
    });
    assertThat(queuedRunVersion(MODEL)).isEqualTo(serving);
  }

  @Test
  @Order(3)
  void aPausedModelKeepsItsVersionServingUntilUnpaused() throws Exception {
    String serving = residency.model(MODEL).getStatus().getVersion();
    edit(model -> {
      model.getSpec().setPaused(true);
      model.getSpec().setOptions(JSON.createObjectNode().put("serviceTimeMillis", 10));
      return model;
    });

    await("the pause is told").atMost(TIMEOUT).until(() -> !residency.events(MODEL, ModelEvents.ROLLOUT_PAUSED).isEmpty());
    await("nothing is loaded beside the version serving").during(Duration.ofSeconds(3)).atMost(TIMEOUT)
        .until(() -> residency.model(MODEL).getStatus().getVersion().equals(serving)
            && residency.workers().stream().allMatch(pod -> staged(pod).isEmpty()));
    assertThat(queuedRunVersion(MODEL)).isEqualTo(serving);

    edit(model -> {
      model.getSpec().setPaused(false);
      return model;
    });
    String after = await("unpaused, the new version takes over").atMost(TIMEOUT)
        .until(() -> residency.model(MODEL).getStatus().getVersion(), version -> !version.equals(serving));
    await("requests run on it").atMost(TIMEOUT).until(() -> queuedRunVersion(MODEL).equals(after));
  }

  @Test
  @Order(4)
  void aVersionWithNoRoomBesideTheOldIsReplacedOneWorkerAtATimeWithoutAFailedRequest() throws Exception {
    String namespace = cluster.namespace();
    PoolResidency tight = new PoolResidency(admin, namespace, "tight");
    admin.resource(OperatorFixture.gpuPool(namespace, "tight", REPLICAS, REPLICAS)).create();
    Model big = OperatorFixture.hotSyntheticModel(namespace, "big", "tight", REPLICAS, REPLICAS);
    big.getSpec().setGpuMemory(new Quantity("10Gi"));
    big.getSpec().setOptions(JSON.createObjectNode().put("serviceTimeMillis", 20));
    admin.resource(big).create();
    await("big served by " + REPLICAS + " workers of 16Gi").atMost(TIMEOUT)
        .until(() -> serving(tight, "big").size() == REPLICAS);
    await("the gateway runs it").atMost(TIMEOUT).until(() -> run("big").statusCode() == 200);
    String before = tight.model("big").getStatus().getVersion();

    List<String> seen;
    RunLoad load;
    try (RunLoad running = RunLoad.start(3, () -> run("big")); Observer observer = Observer.start("big");
        ServingSampler replaced = ServingSampler.start(() -> -(int) tight.workers().stream()
            .filter(pod -> !PoolResidency.resident(pod).containsKey("big")).count())) {
      load = running;
      await("load is running").atMost(TIMEOUT).until(() -> running.completed() >= 50 && observer.seen().size() >= 3);
      admin.resources(Model.class).inNamespace(namespace).withName("big").edit(model -> {
        model.getSpec().setOptions(JSON.createObjectNode().put("serviceTimeMillis", 20).put("loadTimeMillis", 2000));
        return model;
      });
      String after = await("the status names the new version").atMost(TIMEOUT)
          .until(() -> tight.model("big").getStatus().getVersion(), version -> !version.equals(before));
      await("both workers hold the new version").atMost(TIMEOUT).until(() -> tight.workers().stream()
          .allMatch(pod -> after.equals(PoolResidency.resident(pod).get("big"))) && serving(tight, "big").size() == REPLICAS);
      await("the observer runs on it").atMost(TIMEOUT).until(() -> observer.seen().getLast().equals(after));
      running.stop();
      seen = observer.stop();
      System.out.printf("in-place rollout under load: %d runs, %d failed; the observer saw %s; at most %d worker(s) "
          + "without the model at once%n", running.completed(), running.failures().size(), runs(seen), -replaced.fewest());
      assertThat(-replaced.fewest()).as("workers without the model at once, sampled every 100 ms").isLessThanOrEqualTo(1);
      int firstNew = seen.indexOf(after);
      assertThat(seen.subList(0, firstNew)).containsOnly(before);
      assertThat(seen.subList(firstNew, seen.size())).containsOnly(after);
    }
    assertThat(load.failures()).as("failed runs").isEmpty();
    assertThat(tight.events("big", ModelEvents.REPLACING_IN_PLACE)).hasSize(REPLICAS);
    assertThat(tight.workers()).allMatch(pod -> staged(pod).isEmpty());
  }

  private static void edit(UnaryOperator<Model> change) {
    admin.resources(Model.class).inNamespace(cluster.namespace()).withName(MODEL).edit(change);
  }

  private static java.util.Map<String, String> staged(Pod pod) {
    return ResidencyAnnotations.read(pod.getMetadata().getAnnotations(), ResidencyAnnotations.STAGED);
  }

  /** The Ready workers the gateway routes the model to: holding the version its status names, serving or staged. */
  private static List<Pod> serving(PoolResidency pool, String name) {
    Model model = pool.model(name);
    String version = model == null || model.getStatus() == null ? null : model.getStatus().getVersion();
    return pool.workers().stream()
        .filter(WorkerPods::ready)
        .filter(pod -> version != null && (version.equals(PoolResidency.resident(pod).get(name))
            || version.equals(staged(pod).get(name))))
        .toList();
  }

  private static HttpResponse<String> run(String model) throws Exception {
    return GatewayFixture.run(gateway, GATEWAY_IP, cluster.namespace(), model, key);
  }

  /** Queues one request, waits for it to complete and returns the version it ran on, as its log line names it. */
  private static String queuedRunVersion(String model) throws Exception {
    URI submit = URI.create("http://" + GATEWAY_IP + ":" + gateway.queuePort() + "/" + cluster.namespace() + "/" + model);
    JsonNode accepted = JSON.readTree(http.send(HttpRequest.newBuilder(submit)
        .header("Authorization", "Key " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).body());
    URI status = URI.create(accepted.path("status_url").asText() + "?logs=1");
    JsonNode done = await("a queued request completes").atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
        .until(() -> JSON.readTree(http.send(HttpRequest.newBuilder(status).header("Authorization", "Key " + key)
            .build(), HttpResponse.BodyHandlers.ofString()).body()),
            node -> node.path("status").asText().equals("COMPLETED"));
    assertThat(done.hasNonNull("error")).as(done.toString()).isFalse();
    for (JsonNode line : done.path("logs")) {
      Matcher ran = RAN_ON.matcher(line.path("message").asText());
      if (ran.find()) {
        return ran.group(1);
      }
    }
    throw new AssertionError("no log line says which version ran: " + done);
  }

  /** The runs of each version in order, e.g. "3 × abc, then 5 × def". */
  private static String runs(List<String> versions) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < versions.size(); ) {
      int j = i;
      while (j < versions.size() && versions.get(j).equals(versions.get(i))) {
        j++;
      }
      parts.add((j - i) + " × " + versions.get(i));
      i = j;
    }
    return String.join(", then ", parts);
  }

  /**
   * One caller queueing a request, waiting for it to complete, then queueing the next: the versions its requests ran
   * on, in order, as each request's log line names it.
   */
  private static final class Observer implements AutoCloseable {

    private final String model;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failed = new AtomicBoolean();
    private Thread thread;

    private Observer(String model) {
      this.model = model;
    }

    static Observer start(String model) {
      Observer observer = new Observer(model);
      observer.thread = Thread.ofVirtual().start(observer::observe);
      return observer;
    }

    private void observe() {
      while (running.get()) {
        try {
          seen.add(queuedRunVersion(model));
        } catch (Exception e) {
          failed.set(true);
          throw new IllegalStateException(e);
        }
      }
    }

    List<String> seen() {
      return seen;
    }

    List<String> stop() throws InterruptedException {
      running.set(false);
      thread.join();
      assertThat(failed).as("the observer's requests all completed").isFalse();
      return List.copyOf(seen);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }
}
