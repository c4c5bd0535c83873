package dev.kiln.bench.controlplane;

import dev.kiln.operator.KilnOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operator as it runs in its pod: {@link KilnOperator#main} in a JVM of its own, configured by
 * its environment and authenticated by its ServiceAccount's kubeconfig, so that its CPU time and
 * heap are its own and not the benchmark's. Its log goes to a file.
 */
final class OperatorProcess implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(100);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final URI operations;
  private final Path log;
  /** Stops the operator should the benchmark's JVM exit without closing it (Ctrl-C), so none is left behind. */
  private final Thread stopOnExit;

  private OperatorProcess(Process process, URI operations, Path log) {
    this.process = process;
    this.operations = operations;
    this.log = log;
    this.stopOnExit = Thread.ofPlatform().unstarted(process::destroyForcibly);
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Starts the operator, watching {@code namespace}, with {@code kubeconfig}; its log goes to {@code log}. */
  static OperatorProcess start(Path kubeconfig, String namespace, String runtimeImage, Path log) throws IOException {
    int port = freePort();
    var command = new ProcessBuilder(javaTool("java"), "-cp", System.getProperty("java.class.path"),
        KilnOperator.class.getName());
    command.environment().putAll(Map.of(
        "KUBECONFIG", kubeconfig.toString(),
        "KILN_WATCH_NAMESPACES", namespace,
        "KILN_RUNTIME_IMAGE", runtimeImage,
        "KILN_OPERATOR_HTTP_PORT", Integer.toString(port),
        "KILN_LEADER_ELECTION", "false",
        "KILN_OPERATOR_NAMESPACE", namespace,
        "KILN_GATEWAY_NAMESPACE", namespace));
    command.redirectErrorStream(true).redirectOutput(log.toFile());
    return new OperatorProcess(command.start(), URI.create("http://127.0.0.1:" + port), log);
  }

  /** Waits until {@code /readyz} answers 200: the informers have synced. */
  void awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!get("/readyz").map(response -> response.statusCode() == 200).orElse(false)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the operator is not ready after " + timeout.toSeconds() + " s; see " + log);
      }
      Thread.sleep(POLL);
    }
  }

  /** Its {@code /metrics}, now. */
  PrometheusText metrics() throws InterruptedException {
    HttpResponse<String> response = get("/metrics")
        .orElseThrow(() -> new IllegalStateException("the operator's /metrics does not answer; see " + log));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("the operator's /metrics answered " + response.statusCode());
    }
    return PrometheusText.parse(response.body());
  }

  /** The CPU time (user and system) the process has had so far. */
  Duration cpuTime() {
    return process.info().totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("this platform does not report a process's CPU time"));
  }

  /**
   * The heap it holds live: a full collection first ({@code jcmd GC.run}), then the heap in use as
   * its own JVM metrics report it, so garbage not yet collected does not count.
   */
  long liveHeapBytes() throws IOException, InterruptedException {
    Process gc = new ProcessBuilder(javaTool("jcmd"), Long.toString(process.pid()), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
      gc.destroyForcibly();
      throw new IllegalStateException("jcmd " + process.pid() + " GC.run failed");
    }
    return Math.round(metrics().sum("jvm_memory_used_bytes", labels -> "heap".equals(labels.get("area"))));
  }

  /** SIGTERM, as Kubernetes stops a pod; SIGKILL if it has not exited within 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // The JVM is exiting already: the hook runs and finds the process gone.
    }
  }

  /** Empty when nothing answers: not listening yet, while it starts. */
  private Optional<HttpResponse<String>> get(String path) throws InterruptedException {
    try {
      return Optional.of(HTTP.send(HttpRequest.newBuilder(operations.resolve(path)).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String javaTool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
