package dev.kiln.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One model's figures in a gateway's {@code GET /stats}.
 *
 * @param arrived requests submitted since the gateway process started (a counter)
 * @param inFlight requests the gateway runs on workers now
 * @param queued requests waiting at the gateway for a worker now
 */
public record GatewayDemand(String namespace, String name, long arrived, int inFlight, int queued) {

  /** Refuses an entry whose names or figures are missing, or figures that are not whole non-negative numbers. */
  static GatewayDemand from(JsonNode node) throws WorkerAdminException {
    if (!node.path("namespace").isTextual() || !node.path("name").isTextual()) {
      throw JsonHttp.unparsableStats("a model without a namespace and name");
    }
    String owner = "model " + node.path("namespace").asText() + "/" + node.path("name").asText();
    return new GatewayDemand(node.path("namespace").asText(), node.path("name").asText(),
        JsonHttp.count(node, "arrived", owner), Math.toIntExact(JsonHttp.count(node, "inFlight", owner)),
        Math.toIntExact(JsonHttp.count(node, "queued", owner)));
  }
}
