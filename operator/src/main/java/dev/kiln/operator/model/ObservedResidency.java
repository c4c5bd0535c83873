package dev.kiln.operator.model;

import dev.kiln.operator.residency.ShortfallReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one reconcile observed and did for one model, from which its status is built.
 *
 * @param poolFound whether the model's pool exists
 * @param version the version requests go to: the spec's, or while a new one is not yet warm the old one
 * @param targetReplicas how many replicas the plan aims for
 * @param residentWorkers worker pods that hold that version, in name order
 * @param readyReplicas how many of those are Ready and routed to
 * @param updatedReplicas Ready workers that hold the spec's version, serving or staged
 * @param loading the workers a load of this version runs on, by pod name, with when it started
 * @param shortfall why the plan places fewer replicas than targeted, if it does
 * @param failure the latest failed load, while it is still being retried
 * @param lastLoadTime when a load last finished (RFC 3339), or null
 * @param lastRequestTime when the model was last in demand (RFC 3339)
 * @param measuredGpuMemoryBytes the most memory a load of the model measured, if any did
 */
public record ObservedResidency(
    boolean poolFound,
    String version,
    int targetReplicas,
    List<String> residentWorkers,
    int readyReplicas,
    int updatedReplicas,
    Map<String, Instant> loading,
    Optional<ShortfallReason> shortfall,
    Optional<LoadFailure> failure,
    String lastLoadTime,
    String lastRequestTime,
    Optional<Long> measuredGpuMemoryBytes) {

  public ObservedResidency {
    residentWorkers = List.copyOf(residentWorkers);
    loading = Map.copyOf(loading);
  }
}
