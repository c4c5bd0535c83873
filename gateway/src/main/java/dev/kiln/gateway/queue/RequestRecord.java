package dev.kiln.gateway.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one request as the store holds it. Later changes make a new snapshot with a larger {@code version}.
 *
 * @param inferenceTime the seconds of processing ({@code metrics.inference_time}), set when it completes
 * @param result the model's output, when it completed with one
 * @param error why it completed without a result
 * @param cancelRequested whether its caller asked to cancel it; a running request is then told to stop
 * @param version counts the changes to this request, starting at 1; see {@link RequestStore#awaitChange}
 */
public record RequestRecord(
    String requestId,
    String model,
    RequestState state,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    List<LogLine> logs,
    Optional<Duration> inferenceTime,
    Optional<RequestResult> result,
    Optional<RequestError> error,
    boolean cancelRequested,
    long version) {

  public RequestRecord {
    logs = List.copyOf(logs);
  }
}
