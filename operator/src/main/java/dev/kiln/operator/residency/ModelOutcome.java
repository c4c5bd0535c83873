package dev.kiln.operator.residency;

import java.util.Optional;

/**
 * What the plan gives one model.
 *
 * @param model the model's name
 * @param memoryBytes the GPU memory the planner counted per replica: the larger of declared and
 *     measured
 * @param targetReplicas the replicas it aimed for ({@link ModelDemand#targetReplicas()})
 * @param placedReplicas the replicas the plan places
 * @param shortfall why fewer were placed than targeted; empty when the target is met
 */
public record ModelOutcome(
    String model, long memoryBytes, int targetReplicas, int placedReplicas, Optional<ShortfallReason> shortfall) {}
