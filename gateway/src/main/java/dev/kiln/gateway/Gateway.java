package dev.kiln.gateway;

import dev.kiln.gateway.auth.ApiKeyWatcher;
import dev.kiln.gateway.auth.KeyRateLimits;
import dev.kiln.gateway.auth.KeySpendPublisher;
import dev.kiln.gateway.queue.InMemoryRequestStore;
import dev.kiln.gateway.queue.RequestReader;
import dev.kiln.gateway.results.ResultFiles;
import dev.kiln.gateway.results.ResultObjects;
import dev.kiln.gateway.store.Database;
import dev.kiln.gateway.store.DurableQueue;
import dev.kiln.gateway.store.DurableQueueSettings;
import dev.kiln.gateway.store.DurableRequestReader;
import dev.kiln.gateway.store.LocalSpendLedger;
import dev.kiln.gateway.store.PostgresSpendLedger;
import dev.kiln.gateway.store.SpendLedger;
import dev.kiln.gateway.store.UsageReport;
import dev.kiln.gateway.queue.ModelQueues;
import dev.kiln.gateway.queue.RequestStoreSettings;
import dev.kiln.gateway.replicas.GatewayReplicas;
import dev.kiln.gateway.replicas.PeerTrust;
import dev.kiln.gateway.routing.Router;
import dev.kiln.gateway.routing.RouterSettings;
import dev.kiln.gateway.routing.RoutingTableWatcher;
import dev.kiln.gateway.server.Admission;
import dev.kiln.gateway.server.Callers;
import dev.kiln.gateway.server.Dispatcher;
import dev.kiln.gateway.server.GatewayServer;
import dev.kiln.gateway.server.RunMetering;
import dev.kiln.gateway.server.TlsCertificates;
import dev.kiln.gateway.webhook.OutboxDelivery;
import dev.kiln.gateway.webhook.WebhookBody;
import dev.kiln.gateway.webhook.WebhookPost;
import dev.kiln.gateway.webhook.WebhookRetry;
import dev.kiln.gateway.store.WebhookOutbox;
import dev.kiln.gateway.webhook.WebhookSender;
import dev.kiln.gateway.webhook.WebhookSigner;
import dev.kiln.gateway.worker.WorkerClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway assembled: routing and keys from the cluster (informers), the dispatcher with its
 * queues and request store, and the HTTP listeners. {@link GatewayMain} starts one in a pod; tests
 * start one against a test cluster.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final int EXPIRED_IDS_REMEMBERED = 100_000;
  /** How often a status stream reads a request in the durable queue again, waiting for it to change. */
  private static final Duration STATUS_POLL = Duration.ofMillis(100);
  /** How long one webhook attempt may take (at most 20 s: connect and answer) before another replica may make it. */
  private static final Duration WEBHOOK_ATTEMPT_LEASE = Duration.ofSeconds(30);
  private static final Duration OUTBOX_POLL = Duration.ofMillis(200);
  private static final Duration SPEND_PUBLISHED_EVERY = Duration.ofSeconds(10);

  private final RoutingTableWatcher routes;
  private final ApiKeyWatcher keys;
  private final GatewayReplicas replicas;
  private final InMemoryRequestStore store;
  private final Dispatcher dispatcher;
  private final WebhookSender webhooks;
  private final GatewayServer server;
  private final Admission admission;
  private final PrometheusMeterRegistry metrics;
  private final Optional<Database> database;
  private final Optional<OutboxDelivery> outboxDelivery;
  private final Optional<KeySpendPublisher> spendPublisher;
  private final Optional<ResultObjects> resultObjects;
  private boolean closed;

  private Gateway(RoutingTableWatcher routes, ApiKeyWatcher keys, GatewayReplicas replicas, InMemoryRequestStore store,
      Dispatcher dispatcher, WebhookSender webhooks, GatewayServer server, Admission admission,
      PrometheusMeterRegistry metrics, Optional<Database> database, Optional<OutboxDelivery> outboxDelivery,
      Optional<KeySpendPublisher> spendPublisher, Optional<ResultObjects> resultObjects) {
    this.routes = routes;
    this.keys = keys;
    this.replicas = replicas;
    this.store = store;
    this.dispatcher = dispatcher;
    this.webhooks = webhooks;
    this.server = server;
    this.admission = admission;
    this.metrics = metrics;
    this.database = database;
    this.outboxDelivery = outboxDelivery;
    this.spendPublisher = spendPublisher;
    this.resultObjects = resultObjects;
  }

  /**
   * Stops gracefully: readiness turns false and new runs and submissions get 503 at once, the calls
   * in flight (synchronous runs waiting for their output included) and the requests already
   * accepted into the queue are finished, for up to {@code grace}; then everything stops. With a
   * durable queue, this replica stops claiming queued requests at once and leaves them to the other
   * replicas (or to its successor); without one, queued requests that have not started by then are
   * lost with this replica.
   *
   * @return whether everything finished within {@code grace}
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    admission.startDraining();
    dispatcher.stopClaiming();
    long deadline = System.nanoTime() + grace.toNanos();
    boolean idle = admission.awaitIdle(grace)
        && dispatcher.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    close();
    return idle;
  }

  public static Gateway start(GatewaySettings settings, KubernetesClient client, Clock clock) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RoutingTableWatcher routes = RoutingTableWatcher.start(client, settings.namespaces());
    GatewayReplicas replicas = settings.pod()
        .map(pod -> GatewayReplicas.inPod(client, pod.namespace(), pod.name(), settings.tls().isPresent() ? "https" : "http",
            settings.queuePort()))
        .orElseGet(GatewayReplicas::standalone);
    KeyRateLimits limits = new KeyRateLimits(clock);
    ApiKeyWatcher keys = ApiKeyWatcher.start(client, settings.namespaces(),
        registry -> limits.retainOnly(registry.rateLimits()));
    InMemoryRequestStore store = new InMemoryRequestStore(new RequestStoreSettings(settings.resultRetention(),
        Math.min(settings.resultMemoryBytes(), 1 << 20), settings.resultMemoryBytes(), settings.spillDirectory(),
        EXPIRED_IDS_REMEMBERED), clock);
    Admission admission = new Admission();
    Router router = new Router(RouterSettings.DEFAULTS, clock, new SecureRandom());
    WorkerClient workers = new WorkerClient(CONNECT_TIMEOUT, settings.workerTimeout());
    WebhookSigner signer = webhookSigner(settings.webhooks());
    WebhookPost post = new WebhookPost(signer, settings.webhooks().targets(), clock);
    WebhookSender webhooks = new WebhookSender(post, new WebhookRetry(settings.webhooks().retrySpan()));
    String replicaName = settings.pod().map(GatewaySettings.Pod::name).orElse("gateway") + "-"
        + HexFormat.of().toHexDigits(new SecureRandom().nextInt());
    Optional<Database> database = settings.durableQueue().map(durable -> Database.open(durable.database()));
    Optional<ResultObjects> resultObjects = settings.durableQueue()
        .map(durable -> ResultObjects.open(durable.resultObjects()));
    resultObjects.ifPresent(objects -> log.info("large results are kept in {}", objects.describe()));
    Optional<DurableQueue> durableQueue = database.map(db -> new DurableQueue(db, replicaName, clock,
        settings.durableQueue().orElseThrow().leaseTime(), settings.resultRetention(), settings.queueCapacity(),
        WebhookBody::of, new ResultFiles(resultObjects.orElseThrow(), settings.durableQueue().orElseThrow().inlineLimit())));
    Optional<WebhookOutbox> outbox = database.map(db -> new WebhookOutbox(db, replicaName, clock, WEBHOOK_ATTEMPT_LEASE));
    Optional<OutboxDelivery> outboxDelivery = outbox.map(queue -> new OutboxDelivery(queue,
        post, new WebhookRetry(settings.webhooks().retrySpan()), clock, OUTBOX_POLL));
    Optional<UsageReport> usage = database.map(UsageReport::new);
    Optional<PostgresSpendLedger> sharedLedger = database.map(db -> new PostgresSpendLedger(db, clock));
    Dispatcher dispatcher = new Dispatcher(router, key -> routes.table().model(key),
        new ModelQueues(settings.queueCapacity(), clock), store, workers, new RunMetering(metrics), durableQueue,
        settings.durableQueue().map(DurableQueueSettings::renewEvery).orElse(Duration.ZERO),
        sharedLedger.<SpendLedger>map(ledger -> ledger).orElseGet(() -> new LocalSpendLedger(clock)));
    RequestReader requests = durableQueue.<RequestReader>map(queue -> new DurableRequestReader(queue, STATUS_POLL))
        .orElse(store);
    durableQueue.ifPresent(queue -> log.info("queued requests and their webhooks are kept in the database replica={}",
        queue.replica()));
    GatewayServer server = GatewayServer.start(settings.bindAddress(), settings.runPort(), settings.queuePort(),
        settings.opsPort(), settings.maxBodyBytes(), settings.tls().map(TlsCertificates::from),
        new Callers(keys::registry, limits), key -> routes.table().model(key), dispatcher, requests, workers, clock, admission,
        () -> routes.hasSynced() && keys.isSynced() && replicas.hasSynced(), metrics, webhooks,
        settings.webhooks().targets(), requestId -> outbox.flatMap(queue -> queue.log(requestId)),
        usage, signer.jwks(), replicas,
        settings.tls().map(files -> PeerTrust.fromOwnChain(files.certificateChain())));
    Optional<KeySpendPublisher> spendPublisher = usage.map(report -> new KeySpendPublisher(client, keys, report,
        metrics, clock, SPEND_PUBLISHED_EVERY));
    return new Gateway(routes, keys, replicas, store, dispatcher, webhooks, server, admission, metrics, database,
        outboxDelivery, spendPublisher, resultObjects);
  }

  private static WebhookSigner webhookSigner(GatewaySettings.Webhooks settings) {
    if (settings.signingKey().isPresent()) {
      return WebhookSigner.fromPem(settings.signingKey().get());
    }
    log.warn("KILN_GATEWAY_WEBHOOK_KEY is not set: webhooks will be signed with an ephemeral key generated now, "
        + "which changes at every restart and differs between replicas; receivers must refetch "
        + "/.well-known/jwks.json. Mount an Ed25519 key (PKCS#8 PEM) from a Secret into every replica and set "
        + "KILN_GATEWAY_WEBHOOK_KEY to its path for a stable one");
    return WebhookSigner.ephemeral();
  }

  public int runPort() {
    return server.runPort();
  }

  public int queuePort() {
    return server.queuePort();
  }

  public int opsPort() {
    return server.opsPort();
  }

  /** Calls being served now. */
  public int inFlight() {
    return admission.inFlight();
  }

  public boolean draining() {
    return admission.isDraining();
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** Stops at once; what is still running is dropped. Closing again does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close();
    dispatcher.close();
    webhooks.close();
    outboxDelivery.ifPresent(OutboxDelivery::close);
    spendPublisher.ifPresent(KeySpendPublisher::close);
    keys.close();
    replicas.close();
    routes.close();
    store.close();
    database.ifPresent(Database::close);
    resultObjects.ifPresent(ResultObjects::close);
  }
}
