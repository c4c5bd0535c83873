package dev.kiln.operator.scaling;

/**
 * A model's limits for the autoscaler.
 *
 * @param minReplicas fewest replicas, whatever the load
 * @param maxReplicas most replicas, whatever the load
 * @param targetConcurrency requests one replica should run at once
 */
public record ScaleBounds(int minReplicas, int maxReplicas, int targetConcurrency) {

  public ScaleBounds {
    if (minReplicas < 0 || maxReplicas < minReplicas || targetConcurrency < 1) {
      throw new IllegalArgumentException(
          "need 0 <= minReplicas <= maxReplicas and targetConcurrency >= 1, got %d, %d, %d"
              .formatted(minReplicas, maxReplicas, targetConcurrency));
    }
  }

  int clamp(int replicas) {
    return Math.clamp(replicas, minReplicas, maxReplicas);
  }
}
