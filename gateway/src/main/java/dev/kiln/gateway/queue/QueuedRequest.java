package dev.kiln.gateway.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A request waiting in a model's queue.
 *
 * @param requestId the request's id, unique within the queue
 * @param lane the priority lane it waits in
 * @param startDeadline when it must have started ({@code X-Fal-Request-Timeout}); empty when it may wait forever
 */
public record QueuedRequest(String requestId, Lane lane, Optional<Instant> startDeadline) {

  public QueuedRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(startDeadline, "startDeadline");
  }

  /** A request without a start deadline. */
  public static QueuedRequest withoutDeadline(String requestId, Lane lane) {
    return new QueuedRequest(requestId, lane, Optional.empty());
  }

  /** Whether its start deadline has passed at {@code now}: a request due exactly now has expired. */
  public boolean expiredAt(Instant now) {
    return startDeadline.map(deadline -> !now.isBefore(deadline)).orElse(false);
  }
}
