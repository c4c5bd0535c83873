package dev.kiln.gateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.fal.ProxyTarget;
import dev.kiln.gateway.fal.QueueUrls;
import dev.kiln.gateway.queue.RequestReader;
import dev.kiln.gateway.store.UsageReport;
import dev.kiln.gateway.store.WebhookLog;
import dev.kiln.gateway.webhook.WebhookTargets;
import dev.kiln.gateway.replicas.GatewayReplicas;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.gateway.routing.RoutableModel;
import dev.kiln.gateway.worker.WorkerClient;
import dev.kiln.gateway.webhook.WebhookSender;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP listeners (Helidon SE, a virtual thread per request): the run listener
 * serves fal's run API, the JS client's proxy endpoint {@code /fal/proxy}, KServe v2 under
 * {@code /v2} ({@link KServeApi}) and OpenAI's image generations for text-to-image Models
 * ({@link OpenAiImagesApi}); the queue listener fal's queue API. Both serve {@code /healthz},
 * {@code /readyz}, {@code /metrics} and the webhook signing key at {@code /.well-known/jwks.json},
 * and both may use TLS, since fal's Python client always speaks https. The ops listener is plain
 * http for the cluster's own callers (probes, Prometheus, the operator's autoscaler): health,
 * readiness, {@code /metrics} and the demand on {@code /stats} ({@link StatsApi}), which callers of
 * the API do not see.
 */
public final class GatewayServer implements AutoCloseable {

  /** One line per call, without headers or bodies, so never a key. */
  private static final Logger access = LoggerFactory.getLogger("dev.kiln.gateway.access");
  private static final String QUEUE_SOCKET = "queue";
  private static final String OPS_SOCKET = "ops";
  private static final String PROXY_PATH = "/fal/proxy";
  private static final URI FAL_QUEUE_HOST = URI.create("https://queue.fal.run");
  private static final Duration PEER_CALL_TIMEOUT = Duration.ofSeconds(60);

  private final WebServer server;
  private final PeerForwarder forwarder;

  private GatewayServer(WebServer server, PeerForwarder forwarder) {
    this.server = server;
    this.forwarder = forwarder;
  }

  /**
   * @param ready whether the gateway knows its models and keys (its informers have synced)
   * @param tls the listeners' certificate, if they serve https
   * @param webhooks sends the webhooks of queued requests that asked for one ({@code fal_webhook})
   * @param jwks the webhook signing key's JWKS document, served at {@code /.well-known/jwks.json}
   * @param webhookTargets which {@code fal_webhook} URLs are accepted
   * @param usage the usage ledger's report, served at {@code /usage} on the ops listener, where there is a database
   * @param webhookLogs each request's webhook delivery log, for its status, where webhooks are kept in a database
   * @param replicas the gateway's replicas, which hold the requests they accepted
   * @param peerTls how the other replicas' certificates are trusted, when the listeners serve https
   */
  public static GatewayServer start(String host, int runPort, int queuePort, int opsPort, long maxBodyBytes,
      Optional<Tls> tls,
      Callers callers, Function<ModelKey, Optional<RoutableModel>> routes, Dispatcher dispatcher, RequestReader requests,
      WorkerClient workers, Clock clock, Admission admission, BooleanSupplier ready, PrometheusMeterRegistry metrics,
      WebhookSender webhooks, WebhookTargets webhookTargets, Function<String, Optional<WebhookLog>> webhookLogs,
      Optional<UsageReport> usage, JsonNode jwks,
      GatewayReplicas replicas, Optional<SSLContext> peerTls) {
    Models models = new Models(routes);
    SubmissionReader reader = new SubmissionReader(clock, replicas.self(), webhookTargets);
    PeerForwarder forwarder = new PeerForwarder(replicas.self(), peerTls, PEER_CALL_TIMEOUT);
    BooleanSupplier serving = () -> ready.getAsBoolean() && !admission.isDraining();
    return start(host, new Ports(runPort, queuePort, opsPort), maxBodyBytes, tls,
        new RunApi(callers, models, reader, dispatcher),
        new QueueApi(callers, models, reader, dispatcher, requests, webhooks, webhookLogs, replicas, forwarder),
        new KServeApi(callers, routes, reader, dispatcher, workers, serving, maxBodyBytes),
        new OpenAiImagesApi(callers, routes, reader, dispatcher, clock, maxBodyBytes),
        new StatsApi(dispatcher::demand), new UsageApi(usage, clock), admission, new Operations(serving, metrics, jwks),
        forwarder);
  }

  /** What every listener serves besides the APIs. */
  private record Operations(BooleanSupplier ready, PrometheusMeterRegistry metrics, JsonNode jwks) {}

  private record Ports(int run, int queue, int ops) {}

  private static GatewayServer start(String host, Ports ports, long maxBodyBytes, Optional<Tls> tls,
      RunApi run, QueueApi queue, KServeApi kserve, OpenAiImagesApi openAiImages, StatsApi stats, UsageApi usage,
      Admission admission,
      Operations operations, PeerForwarder forwarder) {
    String scheme = tls.isPresent() ? "https" : "http";
    WebServer server = WebServer.builder()
        .host(host)
        .port(ports.run())
        .update(builder -> tls.ifPresent(builder::tls))
        .routing(routing -> {
          operations(routing, operations);
          routing.addFilter((chain, request, response) -> admit(chain, request, response, admission));
          kserve.register(routing);
          openAiImages.register(routing);
          routing.any(PROXY_PATH, (request, response) -> proxy(request, response, run, queue, maxBodyBytes));
          routing.any((request, response) -> serve(response, () -> call(request, request.path().rawPath(),
              queryOf(request), queueUrls(request, scheme), maxBodyBytes), run::serve));
        })
        .putSocket(QUEUE_SOCKET, socket -> socket
            .host(host)
            .port(ports.queue())
            .update(builder -> tls.ifPresent(builder::tls))
            .routing(routing -> {
              operations(routing, operations);
              routing.addFilter((chain, request, response) -> admit(chain, request, response, admission));
              routing.any((request, response) -> serve(response, () -> call(request, request.path().rawPath(),
                  queryOf(request), queueUrls(request, scheme), maxBodyBytes), queue::serve));
            }))
        .putSocket(OPS_SOCKET, socket -> socket
            .host(host)
            .port(ports.ops())
            .routing(routing -> {
              operations(routing, operations);
              routing.get("/stats", (request, response) -> Responses.json(response, 200, stats.stats(),
                  Optional.empty()));
              routing.get("/usage", usage::serve);
            }))
        .shutdownHook(false)
        .build()
        .start();
    return new GatewayServer(server, forwarder);
  }

  public int runPort() {
    return server.port();
  }

  public int queuePort() {
    return server.port(QUEUE_SOCKET);
  }

  public int opsPort() {
    return server.port(OPS_SOCKET);
  }

  /**
   * Counts each fal call in flight; while draining, a POST (a run or a submission) is refused with
   * 503 so the client sends it to another replica, and everything else is still served.
   */
  private static void admit(FilterChain chain, RoutingRequest request, RoutingResponse response, Admission admission) {
    String path = request.path().rawPath();
    if (path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics")) {
      chain.proceed();
      return;
    }
    if (request.prologue().method() == Method.POST) {
      if (!admission.tryEnter()) {
        Responses.error(response, FalException.platform(503, "runner_scheduling_failure",
            "this gateway replica is shutting down: send the request again"), Optional.empty());
        return;
      }
    } else {
      admission.enter();
    }
    long started = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      admission.exit();
      access.info("access method={} path={} status={} millis={} requestId={}", request.prologue().method().text(), path,
          response.status().code(), (System.nanoTime() - started) / 1_000_000,
          response.headers().first(HeaderNames.create(Responses.REQUEST_ID_HEADER)).orElse("-"));
    }
  }

  private static void operations(HttpRouting.Builder routing, Operations operations) {
    routing.get("/healthz", (request, response) -> response.send("ok"));
    routing.get("/.well-known/jwks.json",
        (request, response) -> Responses.json(response, 200, operations.jwks(), Optional.empty()));
    routing.get("/readyz", (request, response) -> {
      if (operations.ready().getAsBoolean()) {
        response.send("ready");
      } else {
        response.status(Status.SERVICE_UNAVAILABLE_503).send("starting: models and keys not read yet");
      }
    });
    routing.get("/metrics", (request, response) -> response
        .header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .send(operations.metrics().scrape()));
  }

  /** The JS client's proxy: the call goes where {@code x-fal-target-url} says it was going. */
  private static void proxy(ServerRequest request, ServerResponse response, RunApi run, QueueApi queue,
      long maxBodyBytes) {
    ProxyTarget target;
    try {
      target = ProxyTarget.of(request.headers().first(HeaderNames.create(ProxyTarget.HEADER)).orElse(null));
    } catch (FalException e) {
      Responses.error(response, e, Optional.empty());
      return;
    }
    serve(response, () -> call(request, target.path(), target.query().map(GatewayServer::parseQuery).orElse(Map.of()),
        new QueueUrls(FAL_QUEUE_HOST), maxBodyBytes), switch (target.host()) {
          case RUN -> run::serve;
          case QUEUE -> queue::serve;
        });
  }

  /** Serves the call {@code read} makes of the request, or the error in fal's shape when it cannot be read. */
  private static void serve(ServerResponse response, Supplier<FalCall> read, BiConsumer<FalCall, ServerResponse> api) {
    FalCall call;
    try {
      call = read.get();
    } catch (FalException e) {
      Responses.error(response, e, Optional.empty());
      return;
    }
    api.accept(call, response);
  }

  /**
   * The fal call a request makes.
   *
   * @throws FalException 413 when its body is larger than {@code maxBodyBytes}
   */
  static FalCall call(ServerRequest request, String path, Map<String, String> query, QueueUrls urls,
      long maxBodyBytes) {
    byte[] body = body(request, maxBodyBytes);
    return new FalCall(request.prologue().method().text(), path, query,
        name -> request.headers().first(HeaderNames.create(name)), body, urls);
  }

  private static byte[] body(ServerRequest request, long maxBodyBytes) {
    String tooLarge = "the request body is larger than the gateway's limit of " + maxBodyBytes
        + " bytes (KILN_GATEWAY_MAX_BODY_BYTES): pass large inputs as URLs";
    if (request.headers().contentLength().orElse(0) > maxBodyBytes) {
      throw new FalException(413, tooLarge, Optional.empty(), Optional.empty());
    }
    if (!request.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = request.content().inputStream()) {
      byte[] body = in.readNBytes(Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1)));
      if (body.length > maxBodyBytes) {
        throw new FalException(413, tooLarge, Optional.empty(), Optional.empty());
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> queryOf(ServerRequest request) {
    Map<String, String> query = new HashMap<>();
    request.query().names().forEach(name -> query.put(name, request.query().first(name).orElse("")));
    return query;
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> query = new HashMap<>();
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), java.nio.charset.StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8);
      query.putIfAbsent(name, value);
    }
    return query;
  }

  /**
   * Status URLs point back at this listener as the client reached it: through a proxy or another
   * replica that says so in {@code X-Forwarded-Host}/{@code -Proto} (an ingress that ends TLS, say),
   * else at the {@code Host} it called.
   */
  private static QueueUrls queueUrls(ServerRequest request, String scheme) {
    String authority = forwarded(request, "X-Forwarded-Host")
        .or(() -> request.headers().first(HeaderNames.HOST))
        .orElse(request.localPeer().host() + ":" + request.localPeer().port());
    String reachedBy = forwarded(request, "X-Forwarded-Proto")
        .filter(proto -> proto.equals("http") || proto.equals("https"))
        .orElse(scheme);
    return new QueueUrls(URI.create(reachedBy + "://" + authority));
  }

  /** The first (the client's) value of a proxy header, which proxies may extend into a list. */
  private static Optional<String> forwarded(ServerRequest request, String header) {
    return request.headers().first(HeaderNames.create(header))
        .map(value -> value.split(",")[0].strip())
        .filter(value -> !value.isEmpty());
  }

  @Override
  public void close() {
    server.stop();
    forwarder.close();
  }
}
