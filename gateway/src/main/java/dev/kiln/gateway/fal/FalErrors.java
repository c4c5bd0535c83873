package dev.kiln.gateway.fal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/** The body and headers of an error in fal's shape. */
public final class FalErrors {

  /** Names the platform error on responses that carry one. */
  public static final String ERROR_TYPE_HEADER = "X-Fal-Error-Type";

  private FalErrors() {}

  /**
   * {@code {"detail": ..., "error_type": ...}}, the second only for platform errors; for invalid
   * input, {@code detail} is the list of problems.
   */
  public static ObjectNode body(FalException error) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    error.validationDetail().ifPresentOrElse(detail -> json.set("detail", detail), () -> json.put("detail", error.detail()));
    error.errorType().ifPresent(type -> json.put("error_type", type));
    return json;
  }

  /** {@code X-Fal-Error-Type} for a platform error and {@code Retry-After} when the client should wait. */
  public static Map<String, String> headers(FalException error) {
    var headers = new TreeMap<String, String>();
    error.errorType().ifPresent(type -> headers.put(ERROR_TYPE_HEADER, type));
    error.retryAfterSeconds().ifPresent(seconds -> headers.put("Retry-After", Long.toString(seconds)));
    return headers;
  }
}
