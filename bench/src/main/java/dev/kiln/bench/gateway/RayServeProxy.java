package dev.kiln.bench.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ray Serve's HTTP proxy in front of a no-op deployment ({@code ray_noop.py}, beside this class),
 * in a Ray instance of its own started by that script. Closing its standard input stops Serve and
 * Ray; what is still running after that is killed, child by child.
 */
final class RayServeProxy implements AutoCloseable {

  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration STOP = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Process process;
  private final int port;

  private RayServeProxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * @param python a Python with {@code ray[serve]} installed
   * @param cpus the CPUs Ray may schedule on
   * @param maxOngoingRequests the replica's {@code max_ongoing_requests}
   * @param work an empty directory for the script and its output
   */
  static RayServeProxy start(Path python, int cpus, int maxOngoingRequests, Path work)
      throws IOException, InterruptedException {
    Path script = work.resolve("ray_noop.py");
    try (InputStream source = RayServeProxy.class.getResourceAsStream("ray_noop.py")) {
      Files.copy(source, script);
    }
    int port = Ports.free();
    Path out = work.resolve("ray.out");
    ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(), "--port", String.valueOf(port),
        "--max-ongoing-requests", String.valueOf(maxOngoingRequests), "--num-cpus", String.valueOf(cpus))
        .redirectOutput(out.toFile()).redirectError(work.resolve("ray.err").toFile());
    builder.environment().putAll(Map.of("RAY_USAGE_STATS_ENABLED", "0", "PYTHONUNBUFFERED", "1"));
    RayServeProxy proxy = new RayServeProxy(builder.start(), port);
    try {
      proxy.awaitReady(out, work.resolve("ray.err"));
      return proxy;
    } catch (IOException | InterruptedException e) {
      proxy.close();
      throw e;
    }
  }

  private void awaitReady(Path out, Path err) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    while (!Files.readAllLines(out).contains("ready")) {
      if (!process.isAlive()) {
        throw new IOException("Ray Serve exited before it was ready; its log: " + err);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("Ray Serve is not ready after " + START.toSeconds() + " s; its log: " + err);
      }
      Thread.sleep(POLL);
    }
  }

  /** {@code path} on the proxy, which routes every path to the deployment. */
  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    try {
      process.getOutputStream().close();
    } catch (IOException alreadyGone) {
      // The script has exited; its children are killed below if any are left.
    }
    if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
