package dev.kiln.operator.model;

/** Why a model leaves a worker, for its Event and the {@code reason} tag of its unload metric. */
enum UnloadReason {
  /** An OnDemand model went unused past its idle timeout. */
  IDLE("idle", ModelEvents.UNLOADED, "unused past residency.idleTimeout"),
  /** The model needs fewer replicas. */
  SCALED_DOWN("scaled_down", ModelEvents.UNLOADED, "scaled down"),
  /**
   * The worker is being drained before it is removed. The model is not unloaded there: it serves on
   * until it is loaded elsewhere, and goes with the worker.
   */
  WORKER_DRAINING("worker_draining", ModelEvents.UNLOADED, "the worker is draining"),
  /** The planner moved the replica off this worker to make room for another model. */
  EVICTED("evicted", ModelEvents.EVICTED, "evicted to make room for models placed before it"),
  /** The Model was deleted. */
  DELETED("deleted", ModelEvents.UNLOADED, "the Model was deleted");

  private final String tag;
  private final String eventReason;
  private final String why;

  UnloadReason(String tag, String eventReason, String why) {
    this.tag = tag;
    this.eventReason = eventReason;
    this.why = why;
  }

  /**
   * Why a model the plan no longer wants on a worker leaves it.
   *
   * @param workerDraining whether that worker is draining
   * @param idle whether the model is an idle OnDemand model
   * @param targetReplicas the replicas the plan aims for
   * @param residentReplicas the workers that hold the model before this unload
   */
  static UnloadReason of(boolean workerDraining, boolean idle, int targetReplicas, int residentReplicas) {
    if (workerDraining) {
      return WORKER_DRAINING;
    }
    if (idle) {
      return IDLE;
    }
    return targetReplicas < residentReplicas ? SCALED_DOWN : EVICTED;
  }

  String tag() {
    return tag;
  }

  String eventReason() {
    return eventReason;
  }

  String why() {
    return why;
  }
}
