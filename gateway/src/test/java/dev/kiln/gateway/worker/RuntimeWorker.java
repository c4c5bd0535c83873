package dev.kiln.gateway.worker;

import dev.kiln.runtime.RuntimeConfig;
import dev.kiln.runtime.WorkerRuntime;
import dev.kiln.runtime.gpu.GpuTelemetry;
import dev.kiln.runtime.store.ContentHash;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real worker runtime in this JVM on a loopback port, with synthetic models loaded through its admin API. */
public final class RuntimeWorker implements AutoCloseable {

  private final String ip;
  private final WorkerRuntime runtime;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private RuntimeWorker(String ip, WorkerRuntime runtime) {
    this.ip = ip;
    this.runtime = runtime;
  }

  /** A runtime on 127.0.0.1 and any free port. */
  public static RuntimeWorker start(Path cache) throws IOException {
    return start(cache, "127.0.0.1", 0);
  }

  /** A runtime on {@code ip} and the port worker pods use, as a worker pod with that IP would run it. */
  public static RuntimeWorker startAsPod(Path cache, String ip) throws IOException {
    return start(cache, ip, 8080);
  }

  private static RuntimeWorker start(Path cache, String ip, int port) throws IOException {
    return new RuntimeWorker(ip, WorkerRuntime.start(
        new RuntimeConfig(ip, port, cache, 1L << 30, Duration.ofSeconds(5), 1 << 20, 4), GpuTelemetry.none()));
  }

  public URI address() {
    return URI.create("http://" + ip + ":" + runtime.port());
  }

  /** The run endpoint of {@code model} on this worker. */
  public URI runUri(String model) {
    return address().resolve("/models/" + model + "/run");
  }

  /** Loads a synthetic model that takes {@code serviceMillis} per request. */
  public void loadSynthetic(String name, long serviceMillis) throws IOException, InterruptedException {
    load(name, "{\"name\":\"%s\",\"version\":\"v1\",\"task\":\"synthetic\",\"options\":{\"serviceTimeMillis\":%d}}"
        .formatted(name, serviceMillis));
  }

  /** Loads the ONNX model in {@code file} as a {@code tensor} model, served over KServe v2. */
  public void loadTensor(String name, Path file) throws IOException, InterruptedException {
    load(name, "{\"name\":\"%s\",\"version\":\"v1\",\"task\":\"tensor\",\"source\":{\"uri\":\"%s\",\"sha256\":\"%s\"}}"
        .formatted(name, file.toUri(), ContentHash.ofFile(file)));
  }

  /** Loads a {@code text-to-image} model served by the test-only {@link FakeTextToImageTask}. */
  public void loadFakeTextToImage(String name) throws IOException, InterruptedException {
    load(name, "{\"name\":\"%s\",\"version\":\"v1\",\"task\":\"text-to-image\"}".formatted(name));
  }

  private void load(String name, String body) throws IOException, InterruptedException {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(address().resolve("/admin/models"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IOException("loading " + name + " failed: " + answer.statusCode() + " " + answer.body());
    }
  }

  /** Asks the runtime to drain, as the operator does before removing its worker: it refuses new work from then on. */
  public void drain() throws IOException, InterruptedException {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(address().resolve("/admin/drain"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 202) {
      throw new IOException("draining failed: " + answer.statusCode() + " " + answer.body());
    }
  }

  /** Requests the runtime is serving now, by its {@code /stats}. */
  public int inFlight() throws IOException, InterruptedException {
    HttpResponse<String> stats = http.send(HttpRequest.newBuilder(address().resolve("/stats")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(stats.body()).path("inFlight").asInt();
  }

  @Override
  public void close() {
    runtime.close();
  }
}
