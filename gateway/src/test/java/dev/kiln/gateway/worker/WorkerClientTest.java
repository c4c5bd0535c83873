package dev.kiln.gateway.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerClientTest {

  private static final byte[] INPUT = "{\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir
  static Path cache;
  private static RuntimeWorker worker;

  @BeforeAll
  static void start() throws Exception {
    worker = RuntimeWorker.start(cache);
    worker.loadSynthetic("echo", 5);
    worker.loadSynthetic("slow", 3_000);
  }

  @AfterAll
  static void stop() {
    worker.close();
  }

  @Test
  void aRunComesBackAsTheWorkerAnsweredWithItsBusyTimeAndVersion() throws Exception {
    WorkerResponse response = new WorkerClient(Duration.ofSeconds(1), Duration.ofSeconds(10))
        .run(worker.runUri("echo"), INPUT, "application/json");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.busySeconds()).isPresent();
    assertThat(response.busySeconds().getAsDouble()).isGreaterThan(0);
    assertThat(response.modelVersion()).contains("v1");
    assertThat(response.logs()).singleElement().satisfies(line -> {
      assertThat(line.message()).startsWith("echo v1 ran in ").endsWith(" ms");
      assertThat(line.level()).contains("INFO");
    });
  }

  @Test
  void unreadableLogLinesAreDroppedNotFatal() {
    assertThat(WorkerClient.logs("not json")).isEmpty();
    assertThat(WorkerClient.logs("[{\"message\":\"m\",\"timestamp\":\"yesterday\"}]")).isEmpty();
    assertThat(WorkerClient.logs("[{\"message\":\"m\"}]")).singleElement()
        .satisfies(line -> assertThat(line.level()).isEmpty());
  }

  @Test
  void aModelErrorIsAnAnswerNotAFailure() throws Exception {
    WorkerResponse response = new WorkerClient(Duration.ofSeconds(1), Duration.ofSeconds(10))
        .run(worker.runUri("absent"), INPUT, "application/json");

    assertThat(response.status()).isEqualTo(404);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("not loaded on this worker");
  }

  @Test
  void aWorkerThatTakesNoConnectionNeverStartedTheRequest() throws Exception {
    URI closed;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    assertThatThrownBy(() -> new WorkerClient(Duration.ofSeconds(1), Duration.ofSeconds(5))
        .run(closed.resolve("/models/echo/run"), INPUT, "application/json"))
        .isInstanceOfSatisfying(WorkerFailure.class, failure -> {
          assertThat(failure.kind()).isEqualTo(WorkerFailure.Kind.UNREACHABLE);
          assertThat(failure.neverStarted()).isTrue();
        });
  }

  @Test
  void aConnectionClosedAfterTheRequestMayHaveRunIt() throws Exception {
    try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> readOneRequestAndHangUp(server));

      assertThatThrownBy(() -> new WorkerClient(Duration.ofSeconds(1), Duration.ofSeconds(5))
          .run(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/models/echo/run"), INPUT, "application/json"))
          .isInstanceOfSatisfying(WorkerFailure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(WorkerFailure.Kind.DISCONNECTED);
            assertThat(failure.neverStarted()).isFalse();
            assertThat(failure.getMessage()).contains("closed the connection during the request");
          });
    }
  }

  @Test
  void aRunLongerThanTheTimeoutTimesOut() {
    assertThatThrownBy(() -> new WorkerClient(Duration.ofSeconds(1), Duration.ofMillis(300))
        .run(worker.runUri("slow"), INPUT, "application/json"))
        .isInstanceOfSatisfying(WorkerFailure.class, failure -> assertThat(failure.kind()).isEqualTo(WorkerFailure.Kind.TIMED_OUT));
  }

  private static void readOneRequestAndHangUp(ServerSocket server) {
    try (Socket connection = server.accept(); InputStream in = connection.getInputStream()) {
      byte[] buffer = new byte[4096];
      int read = 0;
      String seen = "";
      while (!seen.contains("\r\n\r\n") && read >= 0) {
        read = in.read(buffer);
        if (read > 0) {
          seen += new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
