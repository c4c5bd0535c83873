package dev.kiln.bench.controlplane;

import java.time.Duration;
import java.util.Map;

/**
 * What one round measured, from applying the objects to the moment all had converged.
 *
 * @param convergedObjects the pools and models as desired at the end: all of them unless it timed out
 * @param converge the time from the first object applied to the last status as desired, or to the timeout
 * @param operatorCpu the operator process's CPU time (user and system) over that time
 * @param operatorLiveHeapBytes the operator's heap in use right after a full collection, once converged
 * @param reconciles the reconciles run, per controller (JOSDK's execution timer), as a latency histogram
 * @param requests the operator's requests to the API server, from the audit log
 * @param loads the loads the fake runtimes took (of a model or version they did not hold)
 * @param unloads the unloads the fake runtimes took (of a model they held)
 */
record RoundResult(ScaleSize size, int convergedObjects, Duration converge, Duration operatorCpu,
    long operatorLiveHeapBytes, Map<String, LatencyHistogram> reconciles, AuditedRequests requests, long loads,
    long unloads) {

  RoundResult {
    reconciles = Map.copyOf(reconciles);
  }

  boolean converged() {
    return convergedObjects == size.objects();
  }

  /** Loads per replica the round had to make resident: 1 when each was loaded once, where it stayed. */
  double loadsPerReplica() {
    return (double) loads / ScaleWorkload.residentReplicas(size);
  }

  double unloadsPerReplica() {
    return (double) unloads / ScaleWorkload.residentReplicas(size);
  }

  long reconcileCount() {
    return reconciles.values().stream().mapToLong(LatencyHistogram::count).sum();
  }

  double requestsPerReconcile() {
    return (double) requests.total() / reconcileCount();
  }

  double requestsPerReconcile(String verb) {
    return (double) requests.byVerb().getOrDefault(verb, 0L) / reconcileCount();
  }

  double conflictsPerReconcile() {
    return (double) requests.conflicts() / reconcileCount();
  }
}
