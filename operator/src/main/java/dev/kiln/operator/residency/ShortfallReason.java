package dev.kiln.operator.residency;

/** Why a model has fewer replicas than its target. */
public enum ShortfallReason {
  /** One replica needs more GPU memory than an empty worker of this pool has: more workers won't help. */
  INSUFFICIENT_GPU_MEMORY("InsufficientGpuMemory"),
  /** A replica would fit an empty worker, but the current workers are full. */
  NO_CAPACITY("NoCapacity");

  private final String conditionReason;

  ShortfallReason(String conditionReason) {
    this.conditionReason = conditionReason;
  }

  /** The CamelCase reason for a status condition. */
  public String conditionReason() {
    return conditionReason;
  }
}
