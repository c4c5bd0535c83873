package dev.kiln.operator.residency;

import java.util.Objects;

/**
 * What one model asks of the pool.
 *
 * @param name the model's name
 * @param memoryBytes GPU memory one replica takes: the larger of what the model declares and
 *     what a load measured
 * @param policy whether the model stays resident or is loaded on demand
 * @param minReplicas fewest replicas of a {@link Policy#HOT} model
 * @param maxReplicas most replicas, whatever the demand
 * @param desiredReplicas replicas the autoscaler asks for
 * @param idle whether an {@link Policy#ON_DEMAND} model has gone unused past its idle timeout
 */
public record ModelDemand(
    String name,
    long memoryBytes,
    Policy policy,
    int minReplicas,
    int maxReplicas,
    int desiredReplicas,
    boolean idle) {

  /** Whether a model is kept resident or loaded when requested. */
  public enum Policy {
    /** Always resident on at least {@code minReplicas} workers; placed before any on-demand model. */
    HOT,
    /** Loaded when requested and unloaded once idle; gives way to hot models. */
    ON_DEMAND
  }

  public ModelDemand {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policy, "policy");
    if (memoryBytes < 0 || minReplicas < 0 || desiredReplicas < 0 || maxReplicas < minReplicas) {
      throw new IllegalArgumentException(
          "model " + name + ": need memory, minReplicas, desiredReplicas >= 0 and minReplicas <= maxReplicas");
    }
  }

  /**
   * The replicas the planner aims for: demand clamped into [min, max] for a hot model, into
   * [0, max] for an on-demand one, and 0 for an idle on-demand model.
   */
  public int targetReplicas() {
    return switch (policy) {
      case HOT -> Math.clamp(desiredReplicas, minReplicas, maxReplicas);
      case ON_DEMAND -> idle ? 0 : Math.min(desiredReplicas, maxReplicas);
    };
  }

  public boolean isHot() {
    return policy == Policy.HOT;
  }
}
