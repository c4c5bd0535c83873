package dev.kiln.bench.controlplane;

import java.util.Map;

/**
 * One user's requests to the API server over some time, from the audit log.
 *
 * @param byVerb how many of each verb (get, list, watch, create, patch, update, delete)
 * @param conflicts how many were refused with 409 Conflict: a write against a stale version
 */
record AuditedRequests(Map<String, Long> byVerb, long conflicts) {

  AuditedRequests {
    byVerb = Map.copyOf(byVerb);
  }

  long total() {
    return byVerb.values().stream().mapToLong(Long::longValue).sum();
  }
}
