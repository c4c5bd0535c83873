package dev.kiln.gateway.server;

import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.queue.RequestError;
import java.util.Optional;

/** The HTTP answer for a request that completed with an error, by its fal error type. */
final class RequestErrors {

  private RequestErrors() {}

  static FalException asException(RequestError error) {
    return switch (error.errorType()) {
      case "request_timeout" -> FalException.platform(504, "request_timeout", error.message());
      case "runner_disconnected" -> FalException.platform(503, "runner_disconnected", error.message());
      case "queue_full" -> FalException.tooManyRequests(error.message(), 1);
      default -> new FalException(400, error.message(), Optional.of(error.errorType()), Optional.empty());
    };
  }
}
