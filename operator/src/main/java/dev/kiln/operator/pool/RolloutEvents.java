package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolStatus;
import dev.kiln.crds.status.ConditionReason;
import dev.kiln.crds.status.ConditionType;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/** Tells each turn of a pool's rollout in an Event: started, paused, stuck, done. */
final class RolloutEvents {

  private final PoolEvents events;

  RolloutEvents(PoolEvents events) {
    this.events = events;
  }

  /** Records an Event when the Progressing condition of {@code next} has another reason than the pool's status had. */
  void changed(GpuPool pool, GpuPoolStatus next) {
    Optional<Condition> before = progressing(pool.getStatus());
    Condition after = progressing(next).orElseThrow();
    if (before.map(Condition::getReason).filter(after.getReason()::equals).isPresent()) {
      return;
    }
    if (before.isEmpty() && after.getReason().equals(ConditionReason.ROLLED_OUT.reason())) {
      return; // a new pool: nothing was rolled
    }
    if (after.getReason().equals(ConditionReason.PROGRESS_DEADLINE_EXCEEDED.reason())) {
      events.warning(pool, after.getReason(), after.getMessage());
    } else {
      events.normal(pool, after.getReason(), after.getMessage());
    }
  }

  private static Optional<Condition> progressing(GpuPoolStatus status) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream()
        .filter(condition -> ConditionType.PROGRESSING.type().equals(condition.getType()))
        .findFirst();
  }
}
