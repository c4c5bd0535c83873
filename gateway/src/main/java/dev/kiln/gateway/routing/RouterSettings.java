package dev.kiln.gateway.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link Router} sizes and protects replicas.
 *
 * @param concurrencyPerTarget a replica takes at most {@code targetConcurrency × concurrencyPerTarget}
 *     requests at once; the rest wait in the gateway's queue, where priorities apply
 * @param ejection how long a worker that refused or dropped a connection gets no requests; a
 *     replacement pod is a new worker and is not affected
 */
public record RouterSettings(int concurrencyPerTarget, Duration ejection) {

  /** One request per unit of target concurrency; a failed worker is skipped for 10 seconds. */
  public static final RouterSettings DEFAULTS = new RouterSettings(1, Duration.ofSeconds(10));

  public RouterSettings {
    if (concurrencyPerTarget < 1) {
      throw new IllegalArgumentException("concurrencyPerTarget must be at least 1, got " + concurrencyPerTarget);
    }
    Objects.requireNonNull(ejection, "ejection");
    if (ejection.isNegative()) {
      throw new IllegalArgumentException("ejection must not be negative, got " + ejection);
    }
  }

  /** The most requests one replica of {@code model} runs at once. */
  int capacity(RoutableModel model) {
    return Math.multiplyExact(model.targetConcurrency(), concurrencyPerTarget);
  }
}
