package dev.kiln.operator.scaling;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What was read of one model at one instant from the workers that hold it.
 *
 * @param at when it was read
 * @param workers the figures of each worker that answered, by worker name
 * @param unread why each worker that holds the model could not be read (unreachable, an error, a
 *     body that does not parse), by worker name
 */
public record SignalSample(Instant at, Map<String, WorkerSignal> workers, Map<String, String> unread) {

  public SignalSample {
    Objects.requireNonNull(at, "at");
    workers = Map.copyOf(workers);
    unread = Map.copyOf(unread);
  }
}
