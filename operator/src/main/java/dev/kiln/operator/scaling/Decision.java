package dev.kiln.operator.scaling;

import java.time.Instant;
import java.util.Optional;

/**
 * The autoscaler's answer for one model.
 *
 * @param replicas the replicas the model should have
 * @param reason why, in words, e.g. {@code holding 3: no signal from worker w-1 for 20s (refused)}
 * @param load what the signals showed, empty when there were none
 * @param lastDemand when the signals last showed the model in use, empty if they never did
 */
public record Decision(int replicas, String reason, Optional<Load> load, Optional<Instant> lastDemand) {

  /**
   * A model's load over the stable window.
   *
   * @param concurrency requests running or waiting at once, on average
   * @param requestRate requests finished per second
   * @param queueDepth requests waiting now: for a batch on the workers, or for a worker at the gateways
   */
  public record Load(double concurrency, double requestRate, long queueDepth) {}
}
