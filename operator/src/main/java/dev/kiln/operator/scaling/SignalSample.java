package dev.kiln.operator.scaling;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What was read of one model at one instant from the workers that hold it and the gateways in
 * front of it.
 *
 * @param at when it was read
 * @param workers the figures of each worker that answered, by worker name
 * @param unread why each worker that holds the model could not be read (unreachable, an error, a
 *     body that does not parse), by worker name
 * @param gateways the figures of each gateway that answered, by gateway name
 * @param unreadGateways why each gateway could not be read, by gateway name
 */
public record SignalSample(Instant at, Map<String, WorkerSignal> workers, Map<String, String> unread,
    Map<String, GatewaySignal> gateways, Map<String, String> unreadGateways) {

  public SignalSample {
    Objects.requireNonNull(at, "at");
    workers = Map.copyOf(workers);
    unread = Map.copyOf(unread);
    gateways = Map.copyOf(gateways);
    unreadGateways = Map.copyOf(unreadGateways);
  }

  /** Read from workers only: no gateway in front of the model. */
  public SignalSample(Instant at, Map<String, WorkerSignal> workers, Map<String, String> unread) {
    this(at, workers, unread, Map.of(), Map.of());
  }
}
