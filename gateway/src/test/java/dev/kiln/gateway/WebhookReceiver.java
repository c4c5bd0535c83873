package dev.kiln.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback (the JDK's HTTP server) that records every delivery it gets. Each
 * path may be told to answer its first deliveries with 503, as a receiver that is briefly down.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One delivery as it arrived: its path, {@code X-Fal-Webhook-*} headers, exact body, and the answer given. */
  record Delivery(String path, Map<String, String> headers, byte[] body, int answered) {}

  private final HttpServer server;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::receive);
    server.start();
  }

  /** A URL on this receiver whose first {@code failures} deliveries are answered with 503. */
  URI url(String path, int failures) {
    failuresLeft.put(path, new AtomicInteger(failures));
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Delivery> deliveries(String path) {
    return deliveries.stream().filter(delivery -> delivery.path().equals(path)).toList();
  }

  private void receive(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    AtomicInteger failures = failuresLeft.get(path);
    int status = failures != null && failures.getAndDecrement() > 0 ? 503 : 200;
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (name.toLowerCase().startsWith("x-fal-webhook-")) {
        headers.put(name.toLowerCase(), values.getFirst());
      }
    });
    deliveries.add(new Delivery(path, headers, body, status));
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
