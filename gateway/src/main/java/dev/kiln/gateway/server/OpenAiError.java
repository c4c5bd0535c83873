package dev.kiln.gateway.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.fal.FalException;
import java.util.Map;
import java.util.Optional;

/**
 * An error in OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}, with its HTTP
 * status and the headers that go with it ({@code Retry-After}).
 */
final class OpenAiError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final Optional<String> param;
  private final Optional<String> code;
  private final Map<String, String> headers;

  OpenAiError(int status, String message, Optional<String> param, Optional<String> code, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.param = param;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  /** 400 for a request field the endpoint cannot use. */
  static OpenAiError invalid(String param, String message) {
    return new OpenAiError(400, message, Optional.of(param), Optional.empty(), Map.of());
  }

  /** The gateway's own refusal (401, 403, 404, 413, 429...) or a request that ended in a platform error. */
  static OpenAiError of(FalException error) {
    Optional<String> code = switch (error.status()) {
      case 401 -> Optional.of("invalid_api_key");
      case 403 -> Optional.of("model_not_allowed");
      case 404 -> Optional.of("model_not_found");
      case 429 -> Optional.of("rate_limit_exceeded");
      default -> error.errorType();
    };
    Map<String, String> headers = error.retryAfterSeconds()
        .map(seconds -> Map.of("Retry-After", Long.toString(seconds))).orElse(Map.of());
    return new OpenAiError(error.status(), error.detail(), Optional.empty(), code, headers);
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }

  /** {@code invalid_request_error} for what the caller can fix, {@code server_error} for 5xx. */
  String type() {
    return status >= 500 ? "server_error" : "invalid_request_error";
  }

  ObjectNode body() {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("message", getMessage());
    error.put("type", type());
    param.ifPresentOrElse(p -> error.put("param", p), () -> error.putNull("param"));
    code.ifPresentOrElse(c -> error.put("code", c), () -> error.putNull("code"));
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("error", error);
    return body;
  }
}
