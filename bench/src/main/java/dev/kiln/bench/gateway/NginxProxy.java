package dev.kiln.bench.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * nginx as a plain reverse proxy in front of the runtime, from a configuration written for the run:
 * keep-alive connections to the upstream, no access log, {@code workerProcesses} workers. Runs in
 * the foreground as a child process, stopped by {@link #close}.
 */
final class NginxProxy implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(20);

  private final Process process;
  private final int port;

  private NginxProxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The nginx binary on the PATH or in /usr/sbin, where Debian puts it. */
  static Optional<Path> find() {
    return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/sbin"))
        .filter(directory -> !directory.isBlank())
        .map(directory -> Path.of(directory, "nginx"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * @param upstream the runtime, {@code host:port}
   * @param work an empty directory for the configuration, logs and temporary files
   */
  static NginxProxy start(Path nginx, String upstream, int workerProcesses, Path work)
      throws IOException, InterruptedException {
    // nginx's workers drop root for "nobody", who must be able to reach their temporary directories.
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(work.resolve("temp"));
    int port = Ports.free();
    Path config = Files.writeString(work.resolve("nginx.conf"), config(upstream, port, workerProcesses, work));
    Process process = new ProcessBuilder(nginx.toString(), "-p", work.toString(), "-c", config.toString(),
        "-e", work.resolve("error.log").toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(work.resolve("nginx.out").toFile()).start();
    NginxProxy proxy = new NginxProxy(process, port);
    try {
      Ports.awaitListening(port, START, process::isAlive, "nginx (" + work.resolve("error.log") + ")");
      return proxy;
    } catch (IOException | InterruptedException e) {
      proxy.close();
      throw e;
    }
  }

  static String config(String upstream, int port, int workerProcesses, Path work) {
    String temp = work.resolve("temp").toString();
    return """
        # Written by bench/gateway-overhead.sh: nginx as a plain reverse proxy to one runtime.
        worker_processes %d;
        pid %s/nginx.pid;
        error_log %s/error.log warn;
        events {
          worker_connections 4096;
        }
        http {
          access_log off;
          client_body_temp_path %s/client-body;
          proxy_temp_path %s/proxy;
          fastcgi_temp_path %s/fastcgi;
          uwsgi_temp_path %s/uwsgi;
          scgi_temp_path %s/scgi;
          upstream runtime {
            server %s;
            keepalive 256;
          }
          server {
            listen 127.0.0.1:%d;
            location / {
              proxy_pass http://runtime;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
          }
        }
        """.formatted(workerProcesses, work, work, temp, temp, temp, temp, temp, upstream, port);
  }

  /** The runtime's {@code path}, through nginx. */
  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public void close() throws InterruptedException {
    // SIGTERM is nginx's fast shutdown, of the master and its workers.
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      workers.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }
  }
}
