package dev.kiln.operator.pool;

import dev.kiln.crds.DurationText;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the pool reconciler drains a worker it removes.
 *
 * @param timeout how long a drained runtime may take to finish its requests before its worker is
 *     deleted anyway; also how long a runtime that refuses to drain is waited for
 * @param poll how often a draining worker is looked at again while it waits for its models to move
 *     or its requests to end
 */
public record DrainSettings(Duration timeout, Duration poll) {

  public DrainSettings {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(poll, "poll");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("KILN_DRAIN_TIMEOUT must be 0s or more, got " + timeout);
    }
    if (!poll.isPositive()) {
      throw new IllegalArgumentException("KILN_DRAIN_POLL must be positive, e.g. 1s, got " + poll);
    }
  }

  /** 30 s for a drained runtime to finish, a draining worker looked at every second. */
  public static DrainSettings defaults() {
    return new DrainSettings(Duration.ofSeconds(30), Duration.ofSeconds(1));
  }

  /**
   * The defaults, with {@code KILN_DRAIN_TIMEOUT} and {@code KILN_DRAIN_POLL} from {@code env} where
   * set, each a duration such as {@code 500ms}, {@code 30s} or {@code 2m}.
   */
  public static DrainSettings fromEnvironment(Map<String, String> env) {
    DrainSettings defaults = defaults();
    return new DrainSettings(
        DurationText.fromEnvironment(env, "KILN_DRAIN_TIMEOUT", defaults.timeout()),
        DurationText.fromEnvironment(env, "KILN_DRAIN_POLL", defaults.poll()));
  }
}
