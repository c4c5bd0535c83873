package dev.kiln.gateway.queue;

import java.util.Objects;

/**
 * Why a request completed without a result: the status's {@code error} and {@code error_type}.
 *
 * @param message the text for {@code error}
 * @param errorType fal's error type, e.g. {@code request_timeout}
 */
public record RequestError(String message, String errorType) {

  public RequestError {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(errorType, "errorType");
  }

  /** The error of a request cancelled by its caller. */
  public static RequestError cancelled() {
    return new RequestError("Request was cancelled", "request_cancelled");
  }

  /** The error of a request whose start deadline ({@code X-Fal-Request-Timeout}) passed while it waited. */
  public static RequestError startDeadlinePassed() {
    return new RequestError("Request did not start before its X-Fal-Request-Timeout", "request_timeout");
  }
}
