package dev.kiln.gateway;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A gateway replica in a JVM of its own, started by {@link GatewayMain} from its environment as in a pod, so that a
 * test can kill it with SIGKILL: nothing of it runs after that, no shutdown hook, no lease renewal, no completion.
 */
final class GatewayProcess implements AutoCloseable {

  private static final String HOST = "127.0.0.1";

  private final Process process;
  private final int queuePort;
  private final Path log;

  private GatewayProcess(Process process, int queuePort, Path log) {
    this.process = process;
    this.queuePort = queuePort;
    this.log = log;
  }

  /**
   * Starts a replica and waits until it is ready.
   *
   * @param environment its settings beyond ports, bind address and kubeconfig, e.g. the database
   */
  static GatewayProcess start(Path kubeconfig, Map<String, String> environment, Path log, Duration timeout)
      throws IOException {
    int runPort = freePort();
    int queuePort = freePort();
    int opsPort = freePort();
    ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName());
    Map<String, String> env = new HashMap<>(environment);
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("KILN_GATEWAY_BIND_ADDRESS", HOST);
    env.put("KILN_GATEWAY_RUN_PORT", Integer.toString(runPort));
    env.put("KILN_GATEWAY_QUEUE_PORT", Integer.toString(queuePort));
    env.put("KILN_GATEWAY_OPS_PORT", Integer.toString(opsPort));
    command.environment().putAll(env);
    command.redirectErrorStream(true).redirectOutput(log.toFile());
    GatewayProcess started = new GatewayProcess(command.start(), queuePort, log);
    Runtime.getRuntime().addShutdownHook(new Thread(started.process::destroyForcibly));
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://" + HOST + ":" + opsPort + "/readyz");
    await("the gateway process is ready; its log is " + log).atMost(timeout).until(() -> {
      if (!started.process.isAlive()) {
        throw new IllegalStateException("the gateway process exited with " + started.process.exitValue() + "; see " + log);
      }
      try {
        return http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
    return started;
  }

  /** {@code path} on its queue listener. */
  URI queue(String path) {
    return URI.create("http://" + HOST + ":" + queuePort + path);
  }

  /** SIGKILL, as the kernel's OOM killer or a lost node would stop it; returns once it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
