package dev.kiln.operator.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTP to Kiln's own processes (worker runtimes, gateways): a non-2xx answer fails with
 * the body's {@code error} field where it has one, an unreachable peer with what went wrong.
 */
final class JsonHttp {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;

  JsonHttp(Duration connectTimeout) {
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
  }

  /** {@code http://<podIp>:<port>}, with an IPv6 address in brackets. */
  static URI address(String podIp, int port) {
    return URI.create("http://" + (podIp.contains(":") ? "[" + podIp + "]" : podIp) + ":" + port);
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request body always serializes", e);
    }
  }

  JsonNode get(URI uri, Duration timeout) throws WorkerAdminException {
    return send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build());
  }

  JsonNode send(HttpRequest request) throws WorkerAdminException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new WorkerAdminException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerAdminException(request.method() + " " + request.uri() + " was interrupted", e);
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      String message = body.path("error").asText("");
      throw new WorkerAdminException(response.statusCode(), message.isEmpty()
          ? request.method() + " " + request.uri() + " answered HTTP " + response.statusCode()
          : message);
    }
    return body;
  }

  /**
   * A whole non-negative number in {@code field} of {@code node}, else an unparsable {@code /stats}
   * answer naming {@code owner}, e.g. {@code model echo}.
   */
  static long count(JsonNode node, String field, String owner) throws WorkerAdminException {
    JsonNode value = node.path(field);
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw unparsableStats("%s has %s %s".formatted(owner, field, value));
    }
    return value.asLong();
  }

  static WorkerAdminException unparsableStats(String what) {
    return new WorkerAdminException(0, "unparsable /stats: " + what);
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }
}
