package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime as the kubelet runs it: its own process, configured by environment, stopped by SIGTERM. */
class RuntimeProcessIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path work;

  @Test
  void servesHealthReadinessAndMetricsThenDrainsAndExitsZeroOnSigterm() throws Exception {
    int port = freePort();
    Process runtime = start(Map.of("KILN_BIND_ADDRESS", "127.0.0.1", "KILN_PORT", Integer.toString(port),
        "KILN_CACHE_DIR", work.resolve("cache").toString(), "KILN_SHUTDOWN_GRACE_SECONDS", "5"));
    Path log = work.resolve("runtime.log");

    await("runtime ready").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> get(port, "/readyz").statusCode() == 200);
    assertThat(get(port, "/healthz").body()).isEqualTo("ok");
    String metrics = get(port, "/metrics").body();
    assertThat(metrics).contains("kiln_runtime_ready 1.0").contains("kiln_runtime_in_flight_requests 0.0")
        .contains("jvm_memory_used_bytes");

    runtime.destroy(); // SIGTERM

    assertThat(runtime.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(runtime.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("SIGTERM received: draining").contains("stopped");
  }

  @Test
  void badConfigurationStopsTheStartWithExitCode2AndSaysWhatToFix() throws Exception {
    Process runtime = start(Map.of("KILN_PORT", "eighty", "KILN_CACHE_DIR", work.resolve("cache").toString()));

    assertThat(runtime.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(runtime.exitValue()).isEqualTo(2);
    assertThat(Files.readString(work.resolve("runtime.log")))
        .contains("kiln-runtime cannot start: KILN_PORT must be a whole number, got \"eighty\"");
  }

  private Process start(Map<String, String> env) throws IOException {
    var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), RuntimeMain.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("runtime.log").toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
