package dev.kiln.gateway.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.queue.LogLine;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends runs to worker runtimes ({@code POST /models/{name}/run} on the pod) over keep-alive
 * HTTP/1.1 connections, and tells a request the worker never saw from one it may have run.
 */
public final class WorkerClient {

  /** Names a run on the worker, for {@code POST /requests/{id}/cancel}. */
  public static final String REQUEST_ID_HEADER = "X-Kiln-Request-Id";
  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration requestTimeout;

  /**
   * @param connectTimeout how long a connection may take before the worker counts as unreachable
   * @param requestTimeout how long a run may take on the worker
   */
  public WorkerClient(Duration connectTimeout, Duration requestTimeout) {
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .build();
    this.requestTimeout = requestTimeout;
  }

  /** Runs the model at {@code runUri} (its run endpoint on one worker) and waits for the answer. */
  public WorkerResponse run(URI runUri, byte[] body, String contentType) throws WorkerFailure {
    return await(start(runUri, body, contentType), runUri);
  }

  /** Starts the run; cancelling the future closes the connection to the worker. */
  public CompletableFuture<HttpResponse<byte[]>> start(URI runUri, byte[] body, String contentType) {
    return start(runUri, body, contentType, Optional.empty());
  }

  /**
   * Starts the run, named {@code requestId} on the worker (so that {@link #cancel} can stop it there);
   * cancelling the future closes the connection to the worker.
   */
  public CompletableFuture<HttpResponse<byte[]>> start(URI runUri, byte[] body, String contentType,
      Optional<String> requestId) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(runUri);
    requestId.ifPresent(id -> builder.header(REQUEST_ID_HEADER, id));
    HttpRequest request = builder
        .timeout(requestTimeout)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * Asks the worker to stop the run it knows as the request id in {@code cancelUri} (its {@code
   * POST /requests/{id}/cancel}); whether it still ran there does not matter to the caller.
   */
  public void cancel(URI cancelUri) {
    http.sendAsync(HttpRequest.newBuilder(cancelUri).timeout(CANCEL_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.discarding());
  }

  /** Reads {@code uri} on a worker, e.g. a model's KServe v2 metadata. */
  public WorkerResponse get(URI uri) throws WorkerFailure {
    return await(http.sendAsync(HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray()), uri);
  }

  /** The answer of a started run, or how it failed. */
  public static WorkerResponse await(CompletableFuture<HttpResponse<byte[]>> started, URI worker) throws WorkerFailure {
    try {
      HttpResponse<byte[]> answer = started.get();
      if (draining(answer)) {
        throw new WorkerFailure(WorkerFailure.Kind.REFUSED, "worker " + worker + " is draining and refused the request",
            null);
      }
      return response(answer);
    } catch (InterruptedException e) {
      started.cancel(true);
      Thread.currentThread().interrupt();
      throw new WorkerFailure(WorkerFailure.Kind.DISCONNECTED, "interrupted while " + worker + " ran the request", e);
    } catch (CancellationException e) {
      throw new WorkerFailure(WorkerFailure.Kind.DISCONNECTED, "the run on " + worker + " was cancelled", e);
    } catch (ExecutionException e) {
      throw failure(worker, e.getCause());
    }
  }

  /**
   * Whether the runtime refused the request because it is draining ({@code 503} with code {@code draining}): it
   * started nothing, so the request may go to another worker.
   */
  private static boolean draining(HttpResponse<byte[]> answer) {
    if (answer.statusCode() != 503) {
      return false;
    }
    try {
      return "draining".equals(JSON.readTree(answer.body()).path("code").asText());
    } catch (IOException e) {
      return false;
    }
  }

  private static WorkerResponse response(HttpResponse<byte[]> response) {
    String busy = response.headers().firstValue("X-Kiln-Busy-Seconds").orElse(null);
    return new WorkerResponse(response.statusCode(),
        response.headers().firstValue("Content-Type").orElse("application/octet-stream"),
        response.body(),
        busy == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(busy)),
        response.headers().firstValue("X-Kiln-Model-Version"),
        response.headers().firstValue("X-Kiln-Logs").map(WorkerClient::logs).orElse(List.of()));
  }

  /** The runtime's log lines, a JSON array of {@code {"message", "level", "timestamp"}}; unreadable ones are dropped. */
  static List<LogLine> logs(String header) {
    try {
      List<LogLine> lines = new ArrayList<>();
      for (JsonNode line : JSON.readTree(header)) {
        Instant at = line.hasNonNull("timestamp") ? Instant.parse(line.path("timestamp").asText()) : Instant.now();
        lines.add(new LogLine(line.path("message").asText(), at,
            line.hasNonNull("level") ? Optional.of(line.path("level").asText()) : Optional.empty()));
      }
      return lines;
    } catch (JsonProcessingException | DateTimeParseException e) {
      return List.of();
    }
  }

  private static WorkerFailure failure(URI worker, Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
        || cause instanceof UnresolvedAddressException) {
      return new WorkerFailure(WorkerFailure.Kind.UNREACHABLE, "worker " + worker + " is unreachable: " + describe(cause),
          cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new WorkerFailure(WorkerFailure.Kind.TIMED_OUT, "worker " + worker + " did not answer in time", cause);
    }
    if (cause instanceof IOException) {
      return new WorkerFailure(WorkerFailure.Kind.DISCONNECTED,
          "worker " + worker + " closed the connection during the request: " + describe(cause), cause);
    }
    return new WorkerFailure(WorkerFailure.Kind.DISCONNECTED, "the run on " + worker + " failed: " + describe(cause), cause);
  }

  private static String describe(Throwable cause) {
    return Optional.ofNullable(cause.getMessage()).orElse(cause.getClass().getSimpleName());
  }
}
