package dev.kiln.operator.model;

import dev.kiln.operator.scaling.Decision;
import java.util.Optional;

/**
 * A change of a model's desired replicas, as its Event and metric tell it.
 *
 * @param from the replicas desired before
 * @param to the replicas desired now
 * @param reason the autoscaler's reason for {@code to}
 */
record ScaleChange(int from, int to, String reason) {

  static final String SCALED_UP = "ScaledUp";
  static final String SCALED_DOWN = "ScaledDown";

  /** The change from {@code previous} to {@code decision}; none when nothing was desired before or nothing changed. */
  static Optional<ScaleChange> of(Integer previous, Decision decision) {
    if (previous == null || previous == decision.replicas()) {
      return Optional.empty();
    }
    return Optional.of(new ScaleChange(previous, decision.replicas(), decision.reason()));
  }

  boolean up() {
    return to > from;
  }

  /** {@code up} or {@code down}, the metric's tag. */
  String direction() {
    return up() ? "up" : "down";
  }

  String eventReason() {
    return up() ? SCALED_UP : SCALED_DOWN;
  }

  String message() {
    return "desired replicas %d → %d: %s".formatted(from, to, reason);
  }
}
