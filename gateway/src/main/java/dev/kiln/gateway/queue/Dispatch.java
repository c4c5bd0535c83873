package dev.kiln.gateway.queue;

import java.util.List;
import java.util.Optional;

/**
 * What a dispatcher gets from {@link ModelQueue#poll} or {@link ModelQueue#take}.
 *
 * @param next the request to start now, removed from the queue; empty when none is waiting
 * @param expired requests whose start deadline passed, removed from the queue; the server answers each with 504
 *     {@code request_timeout}. Each expired request is reported exactly once, by whichever call removed it.
 */
public record Dispatch(Optional<QueuedRequest> next, List<QueuedRequest> expired) {

  public Dispatch {
    expired = List.copyOf(expired);
  }

  public boolean isEmpty() {
    return next.isEmpty() && expired.isEmpty();
  }
}
