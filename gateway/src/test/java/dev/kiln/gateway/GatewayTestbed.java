package dev.kiln.gateway;

import static org.awaitility.Awaitility.await;

import dev.kiln.crds.KilnCrds;
import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.apikey.CapPeriod;
import dev.kiln.crds.apikey.SpendCap;
import dev.kiln.crds.apikey.RateLimit;
import dev.kiln.crds.common.SecretKeySelector;
import dev.kiln.gateway.store.DurableQueueSettings;
import dev.kiln.gateway.webhook.WebhookTargets;
import dev.kiln.gateway.worker.RuntimeWorker;
import dev.kiln.local.controlplane.ClusterManifests;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;
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

  private static final String GATEWAY_HOST = "127.0.0.1";
  /** The tests' webhook receivers listen on loopback, which a gateway only calls when allow-listed. */
  public static final WebhookTargets LOOPBACK_WEBHOOKS = WebhookTargets.allowing(List.of("127.0.0.0/8"));

  private final TestCluster cluster;
  private final KubernetesClient admin;
  private final String namespace;
  private final Path work;
  private final RuntimeWorker runtime;
  private final Optional<GatewaySettings.TlsFiles> tls;
  private final Optional<DurableQueueSettings> durableQueue;
  private final Gateway gateway;
  private final List<Gateway> replicas = new ArrayList<>();
  private final List<String> resident = new ArrayList<>(SYNTHETIC_RESIDENT);

  private GatewayTestbed(TestCluster cluster, Path work, RuntimeWorker runtime, Optional<GatewaySettings.TlsFiles> tls,
      Optional<String> podName, Optional<DurableQueueSettings> durableQueue) {
    this.cluster = cluster;
    this.admin = cluster.admin();
    this.namespace = cluster.namespace();
    this.work = work;
    this.runtime = runtime;
    this.tls = tls;
    this.durableQueue = durableQueue;
    this.gateway = startGateway(podName);
  }

  /**
   * @param tls the certificate the listeners serve https with, or empty for http
   */
  public static GatewayTestbed start(TestCluster cluster, Path work, String workerIp,
      Optional<GatewaySettings.TlsFiles> tls) throws IOException, InterruptedException {
    return start(cluster, work, workerIp, tls, Optional.empty(), Optional.empty());
  }

  /**
   * A gateway that runs as the pod {@code podName}, one of the replicas behind a Service; more
   * join with {@link #startReplica}. Every replica's pod listens on {@value #GATEWAY_HOST}, told
   * apart by its queue port.
   */
  public static GatewayTestbed startReplicated(TestCluster cluster, Path work, String workerIp,
      Optional<GatewaySettings.TlsFiles> tls, String podName) throws IOException, InterruptedException {
    return start(cluster, work, workerIp, tls, Optional.of(podName), Optional.empty());
  }

  /**
   * As {@link #startReplicated}, over http, with every replica keeping its queue in the database {@code
   * durableQueue} names.
   */
  public static GatewayTestbed startDurable(TestCluster cluster, Path work, String workerIp, String podName,
      DurableQueueSettings durableQueue) throws IOException, InterruptedException {
    return startDurable(cluster, work, workerIp, Optional.empty(), podName, durableQueue);
  }

  /** As {@link #startDurable(TestCluster, Path, String, String, DurableQueueSettings)}, with {@code tls}. */
  public static GatewayTestbed startDurable(TestCluster cluster, Path work, String workerIp,
      Optional<GatewaySettings.TlsFiles> tls, String podName, DurableQueueSettings durableQueue)
      throws IOException, InterruptedException {
    return start(cluster, work, workerIp, tls, Optional.of(podName), Optional.of(durableQueue));
  }

  private static GatewayTestbed start(TestCluster cluster, Path work, String workerIp,
      Optional<GatewaySettings.TlsFiles> tls, Optional<String> podName, Optional<DurableQueueSettings> durableQueue)
      throws IOException, InterruptedException {
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
    return new GatewayTestbed(cluster, work, runtime, tls, podName, durableQueue);
  }

  /** Another replica, running as the pod {@code podName}; it stops with the testbed. */
  public synchronized Gateway startReplica(String podName) {
    Gateway replica = startGateway(Optional.of(podName));
    replicas.add(replica);
    return replica;
  }

  /**
   * Stops {@code replica} as a rolling update would (draining for up to 5 s) and starts its successor, as the pod
   * {@code podName}, on the same ports: callers reach the new process where they reached the old one.
   */
  public synchronized Gateway restart(Gateway replica, String podName) throws InterruptedException {
    int runPort = replica.runPort();
    int queuePort = replica.queuePort();
    replica.shutdown(Duration.ofSeconds(5));
    Gateway successor = startGateway(Optional.of(podName), runPort, queuePort);
    replicas.add(successor);
    return successor;
  }

  private Gateway startGateway(Optional<String> podName) {
    return startGateway(podName, 0, 0);
  }

  private Gateway startGateway(Optional<String> podName, int runPort, int queuePort) {
    Gateway started = Gateway.start(new GatewaySettings(Set.of(namespace), GATEWAY_HOST, runPort, queuePort, 0, tls,
        1 << 20,
        Duration.ofMinutes(5), work.resolve("spill-" + podName.orElse("alone")), 1 << 20,
        durableQueue.isPresent() ? 1000 : 100, Duration.ofSeconds(30),
        Duration.ofSeconds(30), new GatewaySettings.Webhooks(durableQueue.map(queue -> sharedWebhookKey()),
            WEBHOOK_RETRY_SPAN, LOOPBACK_WEBHOOKS),
        podName.map(name -> new GatewaySettings.Pod(namespace, name)), durableQueue), cluster.clientAs("kiln-gateway"),
        Clock.systemUTC());
    podName.ifPresent(name -> ClusterObjects.gatewayPod(admin, namespace, name, GATEWAY_HOST, started.queuePort()));
    return started;
  }

  /**
   * One Ed25519 signing key for every replica, as a Secret mounted into each would be, so that any replica's JWKS
   * verifies a webhook whichever replica sent it.
   */
  private synchronized Path sharedWebhookKey() {
    Path pem = work.resolve("webhook-signing-key.pem");
    try {
      if (!Files.exists(pem)) {
        byte[] pkcs8 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
            + "\n-----END PRIVATE KEY-----\n");
      }
      return pem;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write a webhook signing key", e);
    }
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

  /** Serves a {@code synthetic} Model {@code name} that takes {@code serviceMillis} per request. */
  public synchronized void syntheticModel(String name, long serviceMillis) throws IOException, InterruptedException {
    syntheticModel(name, serviceMillis, "0");
  }

  /** As {@link #syntheticModel(String, long)}, each second of its compute costing {@code pricePerSecond}. */
  public synchronized void syntheticModel(String name, long serviceMillis, String pricePerSecond)
      throws IOException, InterruptedException {
    runtime.loadSynthetic(name, serviceMillis);
    serve(name, "synthetic", pricePerSecond);
  }

  /** The Model {@code name}, already loaded into the runtime, and resident on the worker pod. */
  private void serve(String name, String task) {
    serve(name, task, "0");
  }

  private void serve(String name, String task, String pricePerSecond) {
    ClusterObjects.model(admin, namespace, name, task, "v1", pricePerSecond);
    resident.add(name + "=v1");
    ClusterObjects.setResident(admin, namespace, "w-1", String.join(",", resident));
  }

  /** A {@code tensor} Model no worker serves yet, as before the operator starts a replica. */
  public void unservedModel(String name) {
    ClusterObjects.model(admin, namespace, name, "tensor", "v1");
  }

  /** {@code path} on the run listener. */
  public URI run(String path) {
    return run(gateway, path);
  }

  /** {@code path} on the queue listener. */
  public URI queue(String path) {
    return queue(gateway, path);
  }

  /** {@code path} on the ops listener, always plain http. */
  public URI ops(String path) {
    return URI.create("http://" + GATEWAY_HOST + ":" + gateway.opsPort() + path);
  }

  /** {@code path} on the run listener of {@code replica}. */
  public URI run(Gateway replica, String path) {
    return URI.create(scheme() + "://" + GATEWAY_HOST + ":" + replica.runPort() + path);
  }

  /** {@code path} on the queue listener of {@code replica}. */
  public URI queue(Gateway replica, String path) {
    return URI.create(scheme() + "://" + GATEWAY_HOST + ":" + replica.queuePort() + path);
  }

  private String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  /**
   * Creates an ApiKey for every model of the namespace, with a spend cap of {@code amount} a day and no practical rate
   * limit.
   *
   * @return the key as callers send it
   */
  public String cappedApiKey(String name, String secret, String amount) {
    SpendCap cap = new SpendCap();
    cap.setAmount(amount);
    cap.setPeriod(CapPeriod.DAY);
    return apiKey(name, secret, List.of(), Optional.of(10_000), Optional.of(cap));
  }

  /**
   * Creates an ApiKey and its Secret and waits until the gateway accepts it for {@code echo}.
   *
   * @param models the models it may call, empty for all of the namespace's
   * @param perSecond its rate limit (and burst), if any
   * @return the key as callers send it, {@code <namespace>/<name>:<secret>}
   */
  public String apiKey(String name, String secret, List<String> models, Optional<Integer> perSecond) {
    return apiKey(name, secret, models, perSecond, Optional.empty());
  }

  private String apiKey(String name, String secret, List<String> models, Optional<Integer> perSecond,
      Optional<SpendCap> spendCap) {
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
    spendCap.ifPresent(apiKey.getSpec()::setSpendCap);
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
    replicas.forEach(Gateway::close);
    gateway.close();
    runtime.close();
  }
}
