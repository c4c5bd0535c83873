package dev.kiln.crds.status;

/** The reasons Kiln's controllers give in {@code condition.reason}: CamelCase, one meaning each. */
public enum ConditionReason {
  AS_DESIRED("AsDesired", "Everything the spec asks for is in place."),
  INVALID_SPEC("InvalidSpec", "The spec passed the schema but cannot work, e.g. a model larger than a worker's GPU memory; "
      + "the message says what to change."),
  WORKERS_STARTING("WorkersStarting", "Worker pods were created and are not Ready yet."),
  WORKERS_UNSCHEDULABLE("WorkersUnschedulable", "Worker pods stay Pending: no node has the GPUs, CPU or memory they request."),
  WORKER_FAILED("WorkerFailed", "A worker pod crashed or its node went away."),
  SCALING_UP("ScalingUp", "Demand or warmSpares need more workers."),
  SCALE_DOWN_PENDING("ScaleDownPending", "The pool has more workers than it needs; they are drained once that has lasted "
      + "scaleDownDelay, unless demand returns first. lastTransitionTime is when the surplus began."),
  SCALING_DOWN("ScalingDown", "A worker has been unneeded for scaleDownDelay and is being drained."),
  ROLLING_OUT("RollingOut", "The pool's template changed; workers are being replaced one step at a time."),
  ROLLED_OUT("RolledOut", "Every worker is made from the current template."),
  ROLLOUT_PAUSED("RolloutPaused", "spec.paused is true: workers with an old template are left as they are."),
  PROGRESS_DEADLINE_EXCEEDED("ProgressDeadlineExceeded", "A new worker did not become Ready within rollout.progressDeadline; "
      + "the old workers keep serving. Fix or revert the template."),
  POOL_NOT_FOUND("PoolNotFound", "The model's spec.pool names no GpuPool in its namespace."),
  LOADING("Loading", "The model is being downloaded, loaded or warmed up on a worker."),
  SOURCE_UNREACHABLE("SourceUnreachable", "The model's files could not be fetched from spec.source.uri."),
  CHECKSUM_MISMATCH("ChecksumMismatch", "The downloaded file's SHA-256 differs from spec.source.sha256."),
  LOAD_FAILED("LoadFailed", "The runtime could not create a session for the model; the message carries its error."),
  INSUFFICIENT_GPU_MEMORY("InsufficientGpuMemory", "No worker has room for the model's GPU memory."),
  NO_CAPACITY("NoCapacity", "The model fits a worker, but the pool's workers are full or not Ready; more workers would help."),
  UNLOADED("Unloaded", "An OnDemand model went unused for idleTimeout and was unloaded."),
  SECRET_NOT_FOUND("SecretNotFound", "The Secret named by the spec does not exist."),
  KEY_NOT_IN_SECRET("KeyNotInSecret", "The Secret has no entry under the key the spec names (or the field's fixed key)."),
  KEY_DISABLED("KeyDisabled", "spec.disabled is true."),
  WITHIN_CAP("WithinCap", "Spend in the current period is below the cap."),
  CAP_REACHED("CapReached", "Spend in the current period reached the cap.");

  private final String reason;
  private final String meaning;

  ConditionReason(String reason, String meaning) {
    this.reason = reason;
    this.meaning = meaning;
  }

  /** The value of {@code condition.reason}. */
  public String reason() {
    return reason;
  }

  public String meaning() {
    return meaning;
  }
}
