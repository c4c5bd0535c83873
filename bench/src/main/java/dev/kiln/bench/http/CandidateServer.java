package dev.kiln.bench.http;

import com.sun.net.httpserver.HttpServer;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One HTTP server candidate for the runtime, run in a JVM of its own: {@code NAME PORT}. Each
 * serves the same thing on 127.0.0.1: {@code POST /infer} reads the whole body and answers a
 * fixed JSON document, the shape of a small inference call; {@code GET /healthz} answers ok.
 * Request handling runs on virtual threads in every candidate.
 */
public final class CandidateServer {

  static final byte[] RESPONSE = ("{\"model_name\":\"linear\",\"outputs\":[{\"name\":\"y\",\"shape\":[1,8],"
      + "\"datatype\":\"FP32\",\"data\":[0.125,0.25,0.375,0.5,0.625,0.75,0.875,1.0]}]}").getBytes(StandardCharsets.UTF_8);
  private static final byte[] OK = "ok".getBytes(StandardCharsets.UTF_8);

  private CandidateServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    switch (args[0]) {
      case "jdk" -> jdk(port);
      case "jetty" -> jetty(port);
      case "helidon" -> helidon(port);
      default -> throw new IllegalArgumentException("unknown candidate " + args[0] + ": jdk, jetty or helidon");
    }
    System.out.println("listening");
    new CountDownLatch(1).await();
  }

  private static void jdk(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/infer", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, RESPONSE.length);
      try (var body = exchange.getResponseBody()) {
        body.write(RESPONSE);
      }
    });
    server.createContext("/healthz", exchange -> {
      exchange.sendResponseHeaders(200, OK.length);
      try (var body = exchange.getResponseBody()) {
        body.write(OK);
      }
    });
    server.start();
  }

  private static void jetty(int port) throws Exception {
    var threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    var connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean infer = Request.getPathInContext(request).equals("/infer");
        if (infer) {
          Content.Source.asByteBuffer(request);
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        }
        response.write(true, ByteBuffer.wrap(infer ? RESPONSE : OK), callback);
        return true;
      }
    });
    server.start();
  }

  private static void helidon(int port) {
    WebServer.builder()
        .host("127.0.0.1")
        .port(port)
        .routing(routing -> routing
            .post("/infer", (request, response) -> {
              request.content().as(byte[].class);
              response.header("Content-Type", "application/json");
              response.send(RESPONSE);
            })
            .get("/healthz", (request, response) -> response.send(OK)))
        .build()
        .start();
  }
}
