package dev.kiln.local.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A container for the node agent to run: an HTTP server on the pod's address ({@code POD_IP})
 * that answers {@code /healthz}, {@code /env/NAME} and {@code /} with its pod's name, and says
 * on stdout how it shuts down. {@code --ignore-sigterm} makes it hang on SIGTERM, so only SIGKILL
 * stops it.
 */
public final class EchoServer {

  private EchoServer() {}

  public static void main(String[] args) throws IOException {
    List<String> arguments = List.of(args);
    int port = arguments.contains("--port") ? Integer.parseInt(arguments.get(arguments.indexOf("--port") + 1)) : 8080;
    boolean ignoreSigterm = arguments.contains("--ignore-sigterm");
    String address = Objects.requireNonNull(System.getenv("POD_IP"), "POD_IP is not set");

    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.createContext("/healthz", exchange -> respond(exchange, "ok"));
    server.createContext("/env/", exchange ->
        respond(exchange, String.valueOf(System.getenv(exchange.getRequestURI().getPath().substring("/env/".length())))));
    server.createContext("/", exchange -> respond(exchange, "pod=" + System.getenv("HOSTNAME") + " ip=" + address));
    server.start();
    System.out.println("echo server listening on " + address + ":" + port);

    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (ignoreSigterm) {
        System.out.println("received SIGTERM, ignoring it");
        hangForever();
      }
      System.out.println("received SIGTERM, stopping");
      server.stop(0);
      System.out.println("stopped cleanly");
    }));
  }

  private static void respond(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void hangForever() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
