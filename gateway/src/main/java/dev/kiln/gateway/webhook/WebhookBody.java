package dev.kiln.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.queue.RequestError;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestResult;
import dev.kiln.gateway.queue.StoredBody;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The body of a completed request's webhook, in fal's shape: {@code {"request_id",
 * "gateway_request_id", "status": "OK"|"ERROR", "payload", "error"?, "payload_error"?}}.
 *
 * <p>{@code OK} carries the model's output as {@code payload}; {@code ERROR} carries {@code error}
 * ({@code "Invalid status code: 422"} for a model's error answer, else the gateway's error text)
 * and the error body as {@code payload}. A body that is not JSON (an image, plain text) is not
 * embedded: {@code payload} is {@code null} and {@code payload_error} says to fetch the result
 * from the queue's result endpoint instead, as fal does.
 */
public final class WebhookBody {

  static final String NOT_EMBEDDED =
      "The response payload is not JSON and is not embedded: fetch it from the request's response_url";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private WebhookBody() {}

  /** The webhook body of {@code done}, a request in state {@code COMPLETED}. */
  public static byte[] of(RequestRecord done) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("request_id", done.requestId());
    body.put("gateway_request_id", done.requestId());
    if (done.result().isPresent()) {
      RequestResult result = done.result().get();
      boolean ok = result.statusCode() < 400;
      body.put("status", ok ? "OK" : "ERROR");
      if (!ok) {
        body.put("error", "Invalid status code: " + result.statusCode());
      }
      payload(body, result);
    } else {
      RequestError error = done.error().orElseThrow(() -> new IllegalArgumentException(
          "request " + done.requestId() + " has neither a result nor an error: it has not completed"));
      body.put("status", "ERROR");
      body.put("error", error.message());
      body.putObject("payload").put("detail", error.message()).put("error_type", error.errorType());
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void payload(ObjectNode body, RequestResult result) {
    JsonNode parsed = json(result.body());
    if (parsed == null) {
      body.putNull("payload");
      body.put("payload_error", NOT_EMBEDDED);
    } else {
      body.set("payload", parsed);
    }
  }

  /** The body as one JSON value, or null when it is empty, not JSON, or no longer readable. */
  private static JsonNode json(StoredBody stored) {
    try {
      JsonNode parsed = JSON.readTree(stored.bytes());
      return parsed == null || parsed.isMissingNode() ? null : parsed;
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }
}
