package dev.kiln.operator.scaling;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loopback HTTP servers that answer {@code GET /stats} with a fixed status and body, as a runtime or gateway would. */
final class StatsServers implements AutoCloseable {

  private final List<HttpServer> servers = new ArrayList<>();

  /** A new server answering {@code status} and {@code body}; returns its base address. */
  URI serve(int status, String body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/stats", exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    servers.forEach(server -> server.stop(0));
  }
}
