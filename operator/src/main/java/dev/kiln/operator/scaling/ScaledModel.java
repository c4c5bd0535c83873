package dev.kiln.operator.scaling;

import java.util.Map;

/**
 * A model of a pool as the autoscaler sees it.
 *
 * @param currentReplicas the Ready workers that hold it
 * @param unreachable why each worker that holds it cannot be asked for signals (not Ready, no IP),
 *     by worker name: a gap in its signal, not an absence of load
 */
public record ScaledModel(String name, ScaleBounds bounds, int currentReplicas, Map<String, String> unreachable) {

  public ScaledModel {
    unreachable = Map.copyOf(unreachable);
  }
}
