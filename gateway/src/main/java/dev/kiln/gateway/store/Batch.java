package dev.kiln.gateway.store;

import dev.kiln.gateway.queue.RequestState;
import dev.kiln.gateway.routing.ModelKey;
import java.time.Instant;
import java.util.List;

/** A batch and where each of its requests stands, in submission order. */
public record Batch(String id, ModelKey model, Instant createdAt, List<BatchItem> items) {

  public Batch {
    items = List.copyOf(items);
  }

  /** How many of its requests are in {@code state}. */
  public long count(RequestState state) {
    return items.stream().filter(item -> item.state() == state).count();
  }

  /** How many completed with the model's output. */
  public long succeeded() {
    return items.stream().filter(item -> item.state() == RequestState.COMPLETED && item.succeeded()).count();
  }

  /** How many completed without it: failed, cancelled, timed out or answered with an error status. */
  public long failed() {
    return count(RequestState.COMPLETED) - succeeded();
  }
}
