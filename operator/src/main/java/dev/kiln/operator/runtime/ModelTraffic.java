package dev.kiln.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One model's figures in a worker's {@code GET /stats}: counters are cumulative since the runtime
 * process started.
 *
 * @param inFlight requests started and not finished
 * @param queued requests waiting for a batch, a part of {@code inFlight}
 */
public record ModelTraffic(String name, int inFlight, int queued, long completed, long failed, long busyNanos) {

  /** Refuses an entry whose figures are missing or not whole non-negative numbers. */
  static ModelTraffic from(JsonNode node) throws WorkerAdminException {
    if (!node.path("name").isTextual()) {
      throw unparsable("a model without a name");
    }
    // A model no longer resident keeps its counters but reports no queue.
    long queued = node.has("queued") ? count(node, "queued") : 0;
    return new ModelTraffic(node.path("name").asText(), Math.toIntExact(count(node, "inFlight")), Math.toIntExact(queued),
        count(node, "completed"), count(node, "failed"), count(node, "busyNanos"));
  }

  private static long count(JsonNode node, String field) throws WorkerAdminException {
    return JsonHttp.count(node, field, "model " + node.path("name").asText());
  }

  static WorkerAdminException unparsable(String what) {
    return JsonHttp.unparsableStats(what);
  }
}
