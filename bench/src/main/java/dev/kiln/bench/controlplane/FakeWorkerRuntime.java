package dev.kiln.bench.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A fake of one worker pod's runtime, for status-only pods that have no process: only the part of
 * the runtime's API the operator calls ({@code POST/GET /admin/models}, {@code DELETE
 * /admin/models/{name}}, {@code POST /admin/drain}, {@code GET /stats}), in the runtime's JSON
 * shapes. A load is resident at once with the memory its options ask for; the stats say every
 * model idle, so the autoscaler keeps each at its minimum.
 */
final class FakeWorkerRuntime implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Loaded(String name, String version, String task, long memoryBytes, Instant loadedAt) {}

  private final HttpServer server;
  private final Map<String, Loaded> models = new ConcurrentHashMap<>();
  private final FakeRuntimeTally tally;
  private volatile boolean draining;

  private FakeWorkerRuntime(HttpServer server, FakeRuntimeTally tally) {
    this.server = server;
    this.tally = tally;
  }

  /** Listens on {@code address}:{@code port}, answering on {@code executor}; counts its loads and unloads in {@code tally}. */
  static FakeWorkerRuntime start(String address, int port, Executor executor, FakeRuntimeTally tally)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
    FakeWorkerRuntime runtime = new FakeWorkerRuntime(server, tally);
    server.setExecutor(executor);
    server.createContext("/", runtime::handle);
    server.start();
    return runtime;
  }

  /** Where it listens, e.g. {@code http://127.1.0.7:8080}. */
  URI address() {
    InetSocketAddress bound = server.getAddress();
    return URI.create("http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (method.equals("GET") && path.equals("/stats")) {
        send(exchange, 200, stats());
      } else if (method.equals("GET") && path.equals("/admin/models")) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("models");
        new TreeMap<>(models).values().forEach(model -> list.add(describe(model)));
        body.putObject("failures");
        send(exchange, 200, body);
      } else if (method.equals("POST") && path.equals("/admin/models")) {
        send(exchange, 200, describe(load(JSON.readTree(exchange.getRequestBody()))));
      } else if (method.equals("DELETE") && path.startsWith("/admin/models/")) {
        String name = path.substring("/admin/models/".length());
        if (models.remove(name) != null) {
          tally.unloaded();
          send(exchange, 200, JSON.createObjectNode().put("unloaded", name));
        } else {
          send(exchange, 404, error("unknown_model", "model " + name + " is not loaded here"));
        }
      } else if (method.equals("POST") && path.equals("/admin/drain")) {
        draining = true;
        send(exchange, 202, JSON.createObjectNode().put("draining", true).put("inFlight", 0));
      } else {
        send(exchange, 404, error("not_found", "the fake runtime does not serve " + method + " " + path));
      }
    }
  }

  /** Loading what is loaded at the same version is a no-op, as in the runtime. */
  private Loaded load(JsonNode request) {
    String name = request.path("name").asText();
    String version = request.path("version").asText();
    return models.compute(name, (key, loaded) -> {
      if (loaded != null && loaded.version().equals(version)) {
        return loaded;
      }
      tally.loaded();
      return new Loaded(name, version, request.path("task").asText(),
          request.path("options").path("memoryBytes").asLong(0), Instant.now());
    });
  }

  private ObjectNode stats() {
    ObjectNode body = JSON.createObjectNode();
    body.put("ready", !draining);
    body.put("draining", draining);
    body.put("inFlight", 0);
    body.putObject("executionProvider").put("name", "cpu").put("reason", "a fake runtime: no process, no GPU");
    ArrayNode list = body.putArray("models");
    new TreeMap<>(models).values().forEach(model -> list.add(JSON.createObjectNode()
        .put("name", model.name())
        .put("resident", true)
        .put("version", model.version())
        .put("task", model.task())
        .put("memoryBytes", model.memoryBytes())
        .put("queued", 0)
        .put("batches", 0)
        .put("inFlight", 0)
        .put("completed", 0)
        .put("failed", 0)
        .put("busyNanos", 0)
        .put("busySeconds", 0.0)));
    return body;
  }

  private static ObjectNode describe(Loaded model) {
    return JSON.createObjectNode()
        .put("name", model.name())
        .put("version", model.version())
        .put("task", model.task())
        .put("memoryBytes", model.memoryBytes())
        .put("loadedAt", model.loadedAt().toString())
        .put("loadMillis", 0);
  }

  private static ObjectNode error(String code, String message) {
    return JSON.createObjectNode().put("error", message).put("code", code);
  }

  private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
