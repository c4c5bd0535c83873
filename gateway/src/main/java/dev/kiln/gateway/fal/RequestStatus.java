package dev.kiln.gateway.fal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.queue.LogLine;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A queued request's status object, as fal's clients read it. Only three states exist: a failed
 * or cancelled request is {@link State#COMPLETED} with an {@code error}.
 *
 * @param queuePosition requests ahead of this one; present exactly while {@link State#IN_QUEUE}
 * @param logs the log lines to include, or empty to send {@code "logs": null} (not asked for)
 * @param inferenceTime seconds of processing, once completed
 * @param error what went wrong, for a completed request that failed
 */
public record RequestStatus(
    State state,
    EndpointId endpoint,
    String requestId,
    OptionalInt queuePosition,
    Optional<List<LogLine>> logs,
    OptionalDouble inferenceTime,
    Optional<Failure> error) {

  /** fal's request states. */
  public enum State {
    IN_QUEUE,
    IN_PROGRESS,
    COMPLETED
  }

  /** Why a completed request has no result: fal's {@code error} text and {@code error_type}. */
  public record Failure(String error, String errorType) {}

  public RequestStatus {
    Objects.requireNonNull(state, "state");
    if (queuePosition.isPresent() != (state == State.IN_QUEUE)) {
      throw new IllegalArgumentException("queue_position is present exactly while IN_QUEUE");
    }
  }

  /** 202 while queued or running, 200 once completed. */
  public int httpStatus() {
    return state == State.COMPLETED ? 200 : 202;
  }

  public ObjectNode toJson(QueueUrls urls) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("status", state.name());
    json.put("request_id", requestId);
    json.put("response_url", urls.response(endpoint, requestId));
    json.put("status_url", urls.status(endpoint, requestId));
    json.put("cancel_url", urls.cancel(endpoint, requestId));
    queuePosition.ifPresent(position -> json.put("queue_position", position));
    if (state != State.IN_QUEUE) {
      logs.ifPresentOrElse(lines -> {
        var array = json.putArray("logs");
        lines.forEach(line -> {
          ObjectNode entry = array.addObject().put("message", line.message()).put("timestamp", line.timestamp().toString());
          line.level().ifPresent(level -> entry.put("level", level));
        });
      }, () -> json.putNull("logs"));
    }
    ObjectNode metrics = json.putObject("metrics");
    inferenceTime.ifPresent(seconds -> metrics.put("inference_time", seconds));
    error.ifPresent(failure -> {
      json.put("error", failure.error());
      json.put("error_type", failure.errorType());
    });
    return json;
  }
}
