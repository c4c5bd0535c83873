package dev.kiln.operator.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the autoscaler remembers of one model between decisions; immutable.
 *
 * @param series the model's recent signals
 * @param last the previous decision
 * @param panicTriggered when the panic window last asked for {@link ScalingSettings#panicThreshold}
 *     times the current replicas
 * @param recommendations the replicas recommended over the scale-down delay, oldest first
 */
public record ScalingState(
    SignalSeries series, Optional<Decision> last, Optional<Instant> panicTriggered, List<Recommendation> recommendations) {

  /** Replicas recommended at one instant, before the scale-down delay. */
  public record Recommendation(Instant at, int replicas) {}

  public ScalingState {
    recommendations = List.copyOf(recommendations);
  }

  public static ScalingState initial() {
    return new ScalingState(SignalSeries.empty(), Optional.empty(), Optional.empty(), List.of());
  }

  /** This state with {@code sample} in its series, kept for the stable window. */
  public ScalingState observe(SignalSample sample, ScalingSettings settings) {
    return new ScalingState(series.with(sample, settings.stableWindow(), settings.staleAfter()), last, panicTriggered,
        recommendations);
  }

  ScalingState decided(Decision decision, Optional<Instant> panic, List<Recommendation> recent) {
    return new ScalingState(series, Optional.of(decision), panic, recent);
  }

  static boolean within(Instant at, Instant now, Duration length) {
    return at.isAfter(now.minus(length));
  }
}
