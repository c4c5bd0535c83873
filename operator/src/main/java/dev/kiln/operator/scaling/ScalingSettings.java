package dev.kiln.operator.scaling;

import dev.kiln.crds.DurationText;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the autoscaler reads its signals, after Knative's pod autoscaler.
 *
 * @param sampleInterval how often the workers' signals are read; a reading older than twice this
 *     is stale
 * @param stableWindow the window whose average load sizes a model in normal times, and the least
 *     history a scale-down needs
 * @param panicWindow the short window that lets a burst scale a model up at once
 * @param scaleDownDelay how long a lower recommendation must hold before replicas go
 * @param panicThreshold a model panics when the panic window asks for this many times its current
 *     replicas
 */
public record ScalingSettings(
    Duration sampleInterval, Duration stableWindow, Duration panicWindow, Duration scaleDownDelay, double panicThreshold) {

  public ScalingSettings {
    Objects.requireNonNull(sampleInterval, "sampleInterval");
    Objects.requireNonNull(stableWindow, "stableWindow");
    Objects.requireNonNull(panicWindow, "panicWindow");
    Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
    if (!sampleInterval.isPositive() || panicWindow.compareTo(sampleInterval) < 0 || stableWindow.compareTo(panicWindow) < 0
        || scaleDownDelay.isNegative() || !(panicThreshold > 1)) {
      throw new IllegalArgumentException("need 0 < sampleInterval <= panicWindow <= stableWindow, scaleDownDelay >= 0"
          + " and panicThreshold > 1");
    }
  }

  /** Samples every 2 s, a 60 s stable and a 6 s panic window, 30 s scale-down delay, panic at twice the replicas. */
  public static ScalingSettings defaults() {
    return new ScalingSettings(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(6), Duration.ofSeconds(30), 2.0);
  }

  /**
   * The defaults, with {@code KILN_AUTOSCALER_INTERVAL}, {@code KILN_AUTOSCALER_STABLE_WINDOW},
   * {@code KILN_AUTOSCALER_PANIC_WINDOW} and {@code KILN_AUTOSCALER_SCALE_DOWN_DELAY} from {@code env}
   * where set, each a duration such as {@code 500ms}, {@code 60s} or {@code 2m}.
   */
  public static ScalingSettings fromEnvironment(Map<String, String> env) {
    ScalingSettings defaults = defaults();
    Duration interval = DurationText.fromEnvironment(env, "KILN_AUTOSCALER_INTERVAL", defaults.sampleInterval());
    Duration stable = DurationText.fromEnvironment(env, "KILN_AUTOSCALER_STABLE_WINDOW", defaults.stableWindow());
    Duration panic = DurationText.fromEnvironment(env, "KILN_AUTOSCALER_PANIC_WINDOW", defaults.panicWindow());
    Duration delay = DurationText.fromEnvironment(env, "KILN_AUTOSCALER_SCALE_DOWN_DELAY", defaults.scaleDownDelay());
    try {
      return new ScalingSettings(interval, stable, panic, delay, defaults.panicThreshold());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("KILN_AUTOSCALER_INTERVAL (%s) <= KILN_AUTOSCALER_PANIC_WINDOW (%s) <= KILN_AUTOSCALER_STABLE_WINDOW (%s) must hold, with a positive interval"
          .formatted(interval, panic, stable), e);
    }
  }

  /** A reading older than this is no signal. */
  public Duration staleAfter() {
    return sampleInterval.multipliedBy(2);
  }
}
