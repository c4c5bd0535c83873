package dev.kiln.operator.health;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;

/**
 * Liveness and readiness from the Java Operator SDK's runtime view. A standby replica that does not
 * hold the lease has started its informers and is both: it is waiting, not broken, and must not be
 * restarted or taken out of rotation for that.
 */
public final class OperatorHealth {

  private final RuntimeInfo runtime;

  public OperatorHealth(Operator operator) {
    this.runtime = operator.getRuntimeInfo();
  }

  /** Started, and every controller's event sources (its informers above all) are healthy. */
  public boolean healthy() {
    return runtime.isStarted() && runtime.allEventSourcesAreHealthy();
  }

  /** Started: the controllers are registered and their caches synced. */
  public boolean ready() {
    return runtime.isStarted();
  }
}
