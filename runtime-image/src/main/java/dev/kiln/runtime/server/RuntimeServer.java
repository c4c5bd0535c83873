package dev.kiln.runtime.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Consumer;

/**
 * The runtime's HTTP server (Helidon SE: every request on a virtual thread, HTTP/1.1 keep-alive):
 * {@code /healthz}, {@code /readyz} and {@code /metrics}, plus the routes the caller adds. While
 * draining, new work (a POST: an inference or a load) is refused with 503; requests in flight are
 * counted so that shutdown can wait for them.
 */
public final class RuntimeServer implements AutoCloseable {

  private static final String DRAINING =
      "{\"error\":\"this worker is draining: send the request to another worker\",\"code\":\"draining\"}";

  private final WebServer server;

  private RuntimeServer(WebServer server) {
    this.server = server;
  }

  public static RuntimeServer start(String bindAddress, int port, ServingState state, PrometheusMeterRegistry metrics,
      Consumer<HttpRouting.Builder> routes) {
    WebServer server = WebServer.builder()
        .host(bindAddress)
        .port(port)
        // SIGTERM is handled by GracefulShutdown, which drains before the server stops.
        .shutdownHook(false)
        .routing(routing -> {
          routing.addFilter((chain, request, response) -> {
            if (!isNewWork(request)) {
              chain.proceed();
              return;
            }
            if (!state.tryEnter()) {
              response.status(Status.SERVICE_UNAVAILABLE_503).header(HeaderNames.CONTENT_TYPE, "application/json")
                  .send(DRAINING);
              return;
            }
            try {
              chain.proceed();
            } finally {
              state.exit();
            }
          });
          routing.get("/healthz", (request, response) -> response.send("ok"));
          routing.get("/readyz", (request, response) -> {
            if (state.isReady()) {
              response.send("ready");
            } else {
              response.status(Status.SERVICE_UNAVAILABLE_503).send(state.isDraining() ? "draining" : "starting");
            }
          });
          routing.get("/metrics", (request, response) -> response
              .header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
              .send(metrics.scrape()));
          routes.accept(routing);
        })
        .build()
        .start();
    return new RuntimeServer(server);
  }

  /**
   * Inference and loads are new work, refused while draining; reads, unloads, cancels and drain
   * itself are always served.
   */
  private static boolean isNewWork(ServerRequest request) {
    String path = request.path().path();
    return request.prologue().method() == Method.POST && !path.equals("/admin/drain") && !path.startsWith("/requests/");
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }
}
