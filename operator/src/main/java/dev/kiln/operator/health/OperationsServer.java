package dev.kiln.operator.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoints, on every interface: {@code /metrics} (Prometheus text),
 * {@code /healthz} (liveness) and {@code /readyz} (readiness), each 200 {@code ok} or 503. Three
 * tiny GET endpoints: the JDK's server on virtual threads is enough.
 */
public final class OperationsServer implements AutoCloseable {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private OperationsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** @param port the port to listen on; 0 for any free one (see {@link #port()}) */
  public static OperationsServer start(int port, BooleanSupplier healthy, BooleanSupplier ready, Supplier<String> metrics)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", get("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.get())));
    server.createContext("/healthz", get("/healthz", probe(healthy)));
    server.createContext("/readyz", get("/readyz", probe(ready)));
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    return new OperationsServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening at once (probes and scrapes have nothing to finish) and ends the handler threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }

  private static HttpHandler probe(BooleanSupplier check) {
    return exchange -> {
      boolean passing = check.getAsBoolean();
      respond(exchange, passing ? 200 : 503, PLAIN_TEXT, passing ? "ok" : "unavailable");
    };
  }

  /** Only GET and HEAD of exactly {@code path}: a context also matches the paths below it. */
  private static HttpHandler get(String path, HttpHandler handler) {
    return exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          respond(exchange, 404, PLAIN_TEXT, "not found");
        } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
          respond(exchange, 405, PLAIN_TEXT, "method not allowed");
        } else {
          handler.handle(exchange);
        }
      }
    };
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
