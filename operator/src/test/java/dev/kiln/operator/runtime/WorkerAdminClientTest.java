package dev.kiln.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin client against a stand-in worker that answers like the runtime. */
class WorkerAdminClientTest {

  private final WorkerAdminClient client = new WorkerAdminClient(Duration.ofSeconds(5), Duration.ofSeconds(5));
  private final AtomicReference<String> received = new AtomicReference<>();
  private final AtomicReference<String> stats = new AtomicReference<>();
  private HttpServer server;
  private URI worker;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/admin/models", this::answer);
    server.createContext("/stats", exchange -> send(exchange, 200, stats.get()));
    server.createContext("/admin/drain", exchange -> {
      received.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      send(exchange, 202, "{\"draining\": true, \"inFlight\": 2}");
    });
    server.start();
    worker = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
    String path = exchange.getRequestURI().getPath();
    switch (exchange.getRequestMethod() + " " + path) {
      case "POST /admin/models" -> {
        if (body.contains("\"broken\"")) {
          send(exchange, 422, "{\"error\": \"sha256 mismatch for file:///m.onnx\", \"code\": \"load_failed\"}");
        } else {
          send(exchange, 200, "{\"name\": \"echo\", \"version\": \"abc\", \"memoryBytes\": 1024, \"loadMillis\": 250}");
        }
      }
      case "GET /admin/models" -> send(exchange, 200,
          "{\"models\": [{\"name\": \"echo\", \"version\": \"abc\", \"memoryBytes\": 1024, \"loadMillis\": 250}], \"failures\": {}}");
      case "DELETE /admin/models/echo" -> send(exchange, 200, "{\"unloaded\": \"echo\"}");
      case "DELETE /admin/models/gone" -> send(exchange, 404, "{\"error\": \"model gone is not loaded here\"}");
      default -> send(exchange, 500, "oops");
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void loadSendsTheRequestAsJsonWithoutAbsentParts() throws Exception {
    LoadedModel loaded = client.load(worker, new LoadRequest("echo", "abc", "synthetic", null, null, null));

    assertThat(loaded).isEqualTo(new LoadedModel("echo", "abc", 1024, 250));
    assertThat(received.get()).isEqualTo("POST /admin/models {\"name\":\"echo\",\"version\":\"abc\",\"task\":\"synthetic\"}");
  }

  @Test
  void aRefusedLoadCarriesTheRuntimesMessage() {
    assertThatThrownBy(() -> client.load(worker, new LoadRequest("broken", "abc", "tensor",
            new LoadRequest.Source("file:///m.onnx", "0".repeat(64), null), null, null)))
        .isInstanceOfSatisfying(WorkerAdminException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.getMessage()).isEqualTo("sha256 mismatch for file:///m.onnx");
        });
  }

  @Test
  void unloadingWhatIsNotThereSucceeds() throws Exception {
    client.unload(worker, "echo");
    client.unload(worker, "gone");
    assertThat(received.get()).startsWith("DELETE /admin/models/gone");
  }

  @Test
  void listsTheResidentModels() throws Exception {
    assertThat(client.list(worker)).containsExactly(new LoadedModel("echo", "abc", 1024, 250));
  }

  @Test
  void anAnswerWithoutAMessageNamesTheStatus() {
    assertThatThrownBy(() -> client.unload(worker, "other"))
        .isInstanceOf(WorkerAdminException.class)
        .hasMessageContaining("answered HTTP 500");
  }

  @Test
  void anUnreachableWorkerIsAnErrorWithoutStatus() {
    server.stop(0);
    assertThatThrownBy(() -> client.list(worker))
        .isInstanceOfSatisfying(WorkerAdminException.class, e -> assertThat(e.status()).isZero());
  }

  @Test
  void statsGivesEachModelsBusyNanoseconds() throws Exception {
    stats.set("""
        {"ready": true, "draining": false, "inFlight": 0, "executionProvider": {"name": "cpu", "reason": "no GPU"},
         "models": [
           {"name": "echo", "resident": true, "version": "abc", "inFlight": 0, "completed": 3, "failed": 0,
            "busyNanos": 150000123, "busySeconds": 0.150000123},
           {"name": "gone", "resident": false, "inFlight": 0, "completed": 1, "failed": 1,
            "busyNanos": 9007199254740993, "busySeconds": 9007199.254740993}]}
        """);

    assertThat(client.busyNanos(worker)).isEqualTo(Map.of("echo", 150000123L, "gone", 9007199254740993L));
  }

  @Test
  void drainPostsAndGivesTheRequestsStillInFlight() throws Exception {
    assertThat(client.drain(worker)).isEqualTo(2);
    assertThat(received.get()).isEqualTo("POST /admin/drain");
  }

  @Test
  void inFlightIsTheWorkersTotalFromStats() throws Exception {
    stats.set("{\"ready\": true, \"draining\": true, \"inFlight\": 3, \"models\": []}");
    assertThat(client.inFlight(worker)).isEqualTo(3);
    stats.set("{\"ready\": true, \"models\": []}");
    assertThatThrownBy(() -> client.inFlight(worker)).isInstanceOf(WorkerAdminException.class);
  }

  @Test
  void statsOfAnIdleWorkerAreEmpty() throws Exception {
    stats.set("{\"ready\": true, \"models\": []}");

    assertThat(client.busyNanos(worker)).isEmpty();
  }

  @Test
  void statsWithoutCountersAreAnErrorNotZero() {
    stats.set("{\"models\": [{\"name\": \"echo\", \"inFlight\": 0, \"completed\": 1, \"failed\": 0, \"busySeconds\": 0.5}]}");

    assertThatThrownBy(() -> client.busyNanos(worker))
        .isInstanceOf(WorkerAdminException.class)
        .hasMessageContaining("busyNanos");
  }

  @Test
  void unreadableStatsAreAnError() {
    stats.set("<html>proxy error</html>");

    assertThatThrownBy(() -> client.busyNanos(worker)).isInstanceOf(WorkerAdminException.class);
  }

  @Test
  void addressesAPodByItsIp() {
    assertThat(WorkerAdminClient.worker("10.0.0.7")).isEqualTo(URI.create("http://10.0.0.7:8080"));
    assertThat(WorkerAdminClient.worker("fd00::7")).isEqualTo(URI.create("http://[fd00::7]:8080"));
  }
}
