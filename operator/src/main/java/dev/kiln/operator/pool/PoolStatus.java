package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolStatus;
import dev.kiln.crds.status.ConditionReason;
import dev.kiln.crds.status.ConditionType;
import dev.kiln.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pool's status from its observed worker pods: counts and the Ready, Scaling, Progressing and
 * Degraded conditions. The pool is Ready with at least its desired workers Ready, so surplus workers waiting
 * out the scale-down delay do not make it look unready.
 */
final class PoolStatus {

  private PoolStatus() {}

  /**
   * The status for {@code pool} whose worker pods are {@code pods} (as observed, before this
   * reconcile acts). A condition keeps its {@code lastTransitionTime} unless its status flips,
   * except that while surplus workers are {@code pending}, Scaling says since when.
   */
  static GpuPoolStatus desired(GpuPool pool, int desiredWorkers, List<Pod> pods, Optional<ScaleDownDelay.Pending> pending,
      RolloutPlan rollout, String hash, Instant now) {
    List<Pod> workers = pods.stream().filter(WorkerPods::live).toList();
    int current = workers.size();
    int ready = (int) workers.stream().filter(WorkerPods::ready).count();
    Optional<String> unschedulable = workers.stream()
        .flatMap(pod -> WorkerPods.unschedulable(pod).map(message -> pod.getMetadata().getName() + ": " + message).stream())
        .sorted()
        .findFirst();
    long generation = Objects.requireNonNullElse(pool.getMetadata().getGeneration(), 0L);
    List<Condition> previous = pool.getStatus() == null || pool.getStatus().getConditions() == null
        ? List.of()
        : pool.getStatus().getConditions();
    var conditions = new Conditions(previous, generation, now);

    GpuPoolStatus status = new GpuPoolStatus();
    status.setObservedGeneration(generation);
    status.setDesiredWorkers(desiredWorkers);
    status.setCurrentWorkers(current);
    status.setReadyWorkers(ready);
    status.setUpdatedWorkers(rollout.updated());
    String counts = ready + "/" + desiredWorkers + " workers ready";
    status.setConditions(List.of(
        ready >= desiredWorkers
            ? conditions.of(ConditionType.READY, true, ConditionReason.AS_DESIRED, counts)
            : conditions.of(ConditionType.READY, false,
                unschedulable.isPresent() ? ConditionReason.WORKERS_UNSCHEDULABLE : ConditionReason.WORKERS_STARTING, counts),
        pending.map(surplus -> scaleDownPending(conditions, surplus)).orElseGet(() -> current == desiredWorkers
            ? conditions.of(ConditionType.SCALING, false, ConditionReason.AS_DESIRED, current + " workers")
            : conditions.of(ConditionType.SCALING, true,
                current < desiredWorkers ? ConditionReason.SCALING_UP : ConditionReason.SCALING_DOWN,
                "from " + current + " to " + desiredWorkers + " workers")),
        progressing(conditions, pool, rollout, hash),
        unschedulable
            .map(message -> conditions.of(ConditionType.DEGRADED, true, ConditionReason.WORKERS_UNSCHEDULABLE, message))
            .orElseGet(() -> conditions.of(ConditionType.DEGRADED, false, ConditionReason.AS_DESIRED, "no worker is unschedulable"))));
    return status;
  }

  /** Progressing: whether workers are being replaced by ones made from the current template, and if not why. */
  private static Condition progressing(Conditions conditions, GpuPool pool, RolloutPlan rollout, String hash) {
    String counts = rollout.updated() + " of " + (rollout.updated() + rollout.outdated())
        + " workers made from template " + hash;
    if (rollout.complete()) {
      return conditions.of(ConditionType.PROGRESSING, false, ConditionReason.ROLLED_OUT, counts);
    }
    if (Boolean.TRUE.equals(pool.getSpec().getPaused())) {
      return conditions.of(ConditionType.PROGRESSING, false, ConditionReason.ROLLOUT_PAUSED, "paused with " + counts);
    }
    return rollout.stuck()
        .map(why -> conditions.of(ConditionType.PROGRESSING, false, ConditionReason.PROGRESS_DEADLINE_EXCEEDED,
            why + "; the old workers keep serving (" + counts + ")"))
        .orElseGet(() -> conditions.of(ConditionType.PROGRESSING, true, ConditionReason.ROLLING_OUT, counts));
  }

  /** Scaling, since the surplus began: the scale-down waits out the pool's delay. */
  private static Condition scaleDownPending(Conditions conditions, ScaleDownDelay.Pending pending) {
    String workers = pending.surplus() == 1 ? "1 surplus worker" : pending.surplus() + " surplus workers";
    return conditions.since(ConditionType.SCALING, true, ConditionReason.SCALE_DOWN_PENDING,
        workers + ", removed at " + pending.removeAt() + " unless demand returns", pending.since());
  }

  /** Whether two statuses say the same about the fields this controller writes. */
  static boolean same(GpuPoolStatus a, GpuPoolStatus b) {
    return b != null
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getDesiredWorkers(), b.getDesiredWorkers())
        && Objects.equals(a.getCurrentWorkers(), b.getCurrentWorkers())
        && Objects.equals(a.getReadyWorkers(), b.getReadyWorkers())
        && Objects.equals(a.getUpdatedWorkers(), b.getUpdatedWorkers())
        && Objects.equals(a.getConditions(), b.getConditions());
  }
}
