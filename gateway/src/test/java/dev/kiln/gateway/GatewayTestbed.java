package dev.kiln.gateway;

import static org.awaitility.Awaitility.await;

import dev.kiln.crds.KilnCrds;
import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.apikey.RateLimit;
import dev.kiln.crds.common.SecretKeySelector;
import dev.kiln.gateway.worker.RuntimeWorker;
import dev.kiln.testing.junit.ClusterManifests;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A gateway on a test control plane, as the {@code kiln-gateway} ServiceAccount with the chart's
 * RBAC, in front of a real runtime on a pod address ({@code workerIp}:8080). The runtime holds the
 * synthetic models {@code echo} (5 ms a request), {@code slow} (400 ms) and {@code private}; one
 * Ready worker pod says so, as the operator and a kubelet would.
 */
public final class GatewayTestbed implements AutoCloseable {

  public static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final List<String> SYNTHETIC_RESIDENT = List.of("echo=v1", "private=v1", "slow=v1");
  /** Short, so a failed webhook delivery is retried within milliseconds. */
  public static final Duration WEBHOOK_RETRY_SPAN = Duration.ofSeconds(1);

  private final KubernetesClient admin;
  private final String namespace;
  private final RuntimeWorker runtime;
  private final Gateway gateway;
  private final String scheme;
  private final List<String> resident = new ArrayList<>(SYNTHETIC_RESIDENT);

  private GatewayTestbed(KubernetesClient admin, String namespace, RuntimeWorker runtime, Gateway gateway, String scheme) {
    this.admin = admin;
    this.namespace = namespace;
    this.runtime = runtime;
    this.gateway = gateway;
    this.scheme = scheme;
  }

  /**
   * @param tls the certificate the listeners serve https with, or empty for http
   */
  public static GatewayTestbed start(TestCluster cluster, Path work, String workerIp,
      Optional<GatewaySettings.TlsFiles> tls) throws IOException, InterruptedException {
    KubernetesClient admin = cluster.admin();
    String namespace = cluster.namespace();
    ClusterManifests.installCrds(admin, KilnCrds.NAMES.stream().map(KilnCrds::yaml).toList());
    ClusterManifests.applyChartTemplate(admin, "gateway-rbac.yaml", namespace);
    RuntimeWorker runtime = RuntimeWorker.startAsPod(work.resolve("cache"), workerIp);
    runtime.loadSynthetic("echo", 5);
    runtime.loadSynthetic("slow", 400);
    runtime.loadSynthetic("private", 5);
    for (String model : List.of("echo", "slow", "private")) {
      ClusterObjects.model(admin, namespace, model, "synthetic", "v1");
    }
    ClusterObjects.workerPod(admin, namespace, "w-1", String.join(",", SYNTHETIC_RESIDENT));
    ClusterObjects.setReady(admin, namespace, "w-1", workerIp, true);
    Gateway gateway = Gateway.start(new GatewaySettings(Set.of(namespace), "127.0.0.1", 0, 0, tls, 1 << 20,
        Duration.ofMinutes(5), work.resolve("spill"), 1 << 20, 100, Duration.ofSeconds(30), Duration.ofSeconds(30),
        new GatewaySettings.Webhooks(Optional.empty(), WEBHOOK_RETRY_SPAN)),
        cluster.clientAs("kiln-gateway"), Clock.systemUTC());
    return new GatewayTestbed(admin, namespace, runtime, gateway, tls.isPresent() ? "https" : "http");
  }

  public String namespace() {
    return namespace;
  }

  public Gateway gateway() {
    return gateway;
  }

  /**
   * Serves the ONNX model in {@code file} as the {@code tensor} Model {@code name}: loaded into the
   * runtime and added to the worker pod's resident models, as the operator would.
   */
  public synchronized void tensorModel(String name, Path file) throws IOException, InterruptedException {
    runtime.loadTensor(name, file);
    serve(name, "tensor");
  }

  /**
   * Serves the {@code text-to-image} Model {@code name} with the test-only fake
   * ({@link dev.kiln.gateway.worker.FakeTextToImageTask}: solid-colour PNGs), as {@link #tensorModel} does.
   */
  public synchronized void fakeTextToImageModel(String name) throws IOException, InterruptedException {
    runtime.loadFakeTextToImage(name);
    serve(name, "text-to-image");
  }

  /** The Model {@code name}, already loaded into the runtime, and resident on the worker pod. */
  private void serve(String name, String task) {
    ClusterObjects.model(admin, namespace, name, task, "v1");
    resident.add(name + "=v1");
    ClusterObjects.setResident(admin, namespace, "w-1", String.join(",", resident));
  }

  /** A {@code tensor} Model no worker serves yet, as before the operator starts a replica. */
  public void unservedModel(String name) {
    ClusterObjects.model(admin, namespace, name, "tensor", "v1");
  }

  /** {@code path} on the run listener. */
  public URI run(String path) {
    return URI.create(scheme + "://127.0.0.1:" + gateway.runPort() + path);
  }

  /** {@code path} on the queue listener. */
  public URI queue(String path) {
    return URI.create(scheme + "://127.0.0.1:" + gateway.queuePort() + path);
  }

  /**
   * Creates an ApiKey and its Secret and waits until the gateway accepts it for {@code echo}.
   *
   * @param models the models it may call, empty for all of the namespace's
   * @param perSecond its rate limit (and burst), if any
   * @return the key as callers send it, {@code <namespace>/<name>:<secret>}
   */
  public String apiKey(String name, String secret, List<String> models, Optional<Integer> perSecond) {
    admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name + "-key")
        .endMetadata().withStringData(Map.of("key", secret)).build()).create();
    ApiKey apiKey = new ApiKey();
    apiKey.getMetadata().setName(name);
    apiKey.getMetadata().setNamespace(namespace);
    SecretKeySelector ref = new SecretKeySelector();
    ref.setName(name + "-key");
    ref.setKey("key");
    apiKey.getSpec().setSecretRef(ref);
    apiKey.getSpec().setModels(models);
    perSecond.ifPresent(rate -> {
      RateLimit limit = new RateLimit();
      limit.setRequestsPerSecond(rate);
      limit.setBurst(rate);
      apiKey.getSpec().setRateLimit(limit);
    });
    admin.resource(apiKey).create();
    return namespace + "/" + name + ":" + secret;
  }

  /** Waits until the gateway is ready and serves {@code echo} to {@code key} (over plain http). */
  public void awaitServing(String key) {
    awaitServing(key, HttpClient.newHttpClient());
  }

  /** Waits until the gateway is ready and serves {@code echo} to {@code key}, called through {@code http}. */
  public void awaitServing(String key, HttpClient http) {
    await("gateway serves echo").atMost(TIMEOUT).until(() -> http.send(HttpRequest.newBuilder(run("/" + namespace + "/echo"))
        .header("Authorization", "Key " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  @Override
  public void close() {
    gateway.close();
    runtime.close();
  }
}
