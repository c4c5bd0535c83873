package dev.kiln.gateway.fal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A request the gateway answers with an error in fal's shape: {@code {"detail": ..., "error_type":
 * ...}} with the status code and, for platform errors, the {@code X-Fal-Error-Type} header.
 *
 * @see FalErrors
 */
public final class FalException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final Optional<String> errorType;
  private final Optional<Long> retryAfterSeconds;
  /** fal's input validation errors ({@code detail} as a list of {@code loc}, {@code msg}, {@code type}), for 422. */
  private final Optional<JsonNode> validationDetail;

  public FalException(int status, String detail, Optional<String> errorType, Optional<Long> retryAfterSeconds) {
    this(status, detail, errorType, retryAfterSeconds, Optional.empty());
  }

  private FalException(int status, String detail, Optional<String> errorType, Optional<Long> retryAfterSeconds,
      Optional<JsonNode> validationDetail) {
    super(detail);
    this.status = status;
    this.errorType = errorType;
    this.retryAfterSeconds = retryAfterSeconds;
    this.validationDetail = validationDetail;
  }

  /** 422 with one validation problem, {@code {"loc": [...], "msg": ..., "type": ...}}. */
  public static FalException invalidInput(ObjectNode problem) {
    return new FalException(422, problem.path("msg").asText(), Optional.empty(), Optional.empty(),
        Optional.of(JsonNodeFactory.instance.arrayNode().add(problem)));
  }

  public static FalException notFound(String detail) {
    return new FalException(404, detail, Optional.empty(), Optional.empty());
  }

  public static FalException badRequest(String detail) {
    return new FalException(400, detail, Optional.empty(), Optional.empty());
  }

  /** A platform error, e.g. {@code request_timeout} (504) or {@code runner_disconnected} (503). */
  public static FalException platform(int status, String errorType, String detail) {
    return new FalException(status, detail, Optional.of(errorType), Optional.empty());
  }

  /** 429 with {@code Retry-After}. */
  public static FalException tooManyRequests(String detail, long retryAfterSeconds) {
    return new FalException(429, detail, Optional.empty(), Optional.of(retryAfterSeconds));
  }

  public int status() {
    return status;
  }

  public String detail() {
    return getMessage();
  }

  public Optional<String> errorType() {
    return errorType;
  }

  public Optional<Long> retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Optional<JsonNode> validationDetail() {
    return validationDetail;
  }
}
