package dev.kiln.runtime;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runtime as the kubelet runs it: {@link RuntimeMain} in a process of its own, configured by
 * environment, its output in a file beside the cache directory.
 */
final class RuntimeProcess implements AutoCloseable {

  private final Process process;
  private final Path logFile;
  private final int port;

  private RuntimeProcess(Process process, Path logFile, int port) {
    this.process = process;
    this.logFile = logFile;
    this.port = port;
  }

  /** Starts a runtime on a free loopback port with {@code env} on top of the port settings. */
  static RuntimeProcess start(Path cache, Map<String, String> env, String... jvmOptions) {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), RuntimeMain.class.getName()));
    Path logFile = cache.resolveSibling("runtime-" + port + ".log");
    var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    Map<String, String> settings = new HashMap<>(Map.of("KILN_BIND_ADDRESS", "127.0.0.1",
        "KILN_PORT", Integer.toString(port), "KILN_CACHE_DIR", cache.toString()));
    settings.putAll(env);
    builder.environment().putAll(settings);
    try {
      Files.createDirectories(cache.getParent());
      return new RuntimeProcess(builder.start(), logFile, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RuntimeProcess awaitReady() {
    RuntimeClient client = client();
    await("runtime ready").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .failFast("the runtime exited", () -> {
          if (!process.isAlive()) {
            throw new AssertionError("the runtime exited with " + process.exitValue() + "; log:\n" + log());
          }
        })
        .until(() -> client.get("/readyz").statusCode() == 200);
    return this;
  }

  RuntimeClient client() {
    return new RuntimeClient("127.0.0.1", port);
  }

  Process process() {
    return process;
  }

  String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean logged(String text) {
    return log().contains(text);
  }

  /** Sends SIGTERM, as the kubelet does on pod deletion. */
  void terminate() {
    process.destroy();
  }

  int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the runtime did not exit within 60 s; log:\n" + log());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
