package dev.kiln.gateway.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.fal.FalErrors;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.queue.RequestError;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestResult;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Writes the gateway's answers in fal's shapes, each with {@code x-fal-request-id} when there is one. */
final class Responses {

  static final String REQUEST_ID_HEADER = "x-fal-request-id";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  static void json(ServerResponse response, int status, JsonNode body, Optional<String> requestId) {
    requestId.ifPresent(id -> response.header(REQUEST_ID_HEADER, id));
    try {
      response.status(Status.create(status))
          .header(HeaderNames.CONTENT_TYPE, "application/json")
          .send(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void error(ServerResponse response, FalException error, Optional<String> requestId) {
    FalErrors.headers(error).forEach(response::header);
    json(response, error.status(), FalErrors.body(error), requestId);
  }

  /**
   * A completed request's outcome: the model's output with its status code, or the error it
   * completed with in fal's shape.
   */
  static void outcome(ServerResponse response, RequestRecord done) {
    Optional<String> id = Optional.of(done.requestId());
    Optional<RequestResult> result = done.result();
    if (result.isPresent()) {
      response.header(REQUEST_ID_HEADER, done.requestId());
      response.status(Status.create(result.get().statusCode()))
          .header(HeaderNames.CONTENT_TYPE, result.get().contentType())
          .send(result.get().body().bytes());
      return;
    }
    RequestError error = done.error().orElseThrow();
    if (error.equals(RequestError.startDeadlinePassed())) {
      response.header("X-Fal-Request-Timeout-Type", "user");
    }
    error(response, RequestErrors.asException(error), id);
  }

  /** Opens a server-sent event stream; each {@link EventStream#send} is one {@code data:} event. */
  static EventStream events(ServerResponse response, Optional<String> requestId) {
    requestId.ifPresent(id -> response.header(REQUEST_ID_HEADER, id));
    response.status(Status.OK_200)
        .header(HeaderNames.CONTENT_TYPE, "text/event-stream")
        .header(HeaderNames.CACHE_CONTROL, "no-cache");
    return new EventStream(response.outputStream());
  }

  /** An open event stream. */
  static final class EventStream implements AutoCloseable {

    private final OutputStream out;

    private EventStream(OutputStream out) {
      this.out = out;
    }

    void send(JsonNode event) throws IOException {
      out.write(("data: " + JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    void send(byte[] jsonEvent) throws IOException {
      out.write("data: ".getBytes(StandardCharsets.UTF_8));
      out.write(jsonEvent);
      out.write("\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** A comment line that keeps proxies from closing an idle stream. */
    void ping() throws IOException {
      out.write(": ping\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
