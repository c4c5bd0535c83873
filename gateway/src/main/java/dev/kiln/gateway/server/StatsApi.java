package dev.kiln.gateway.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /stats} on the ops listener: the demand the operator's autoscaler reads from the
 * gateway, shaped like a worker runtime's {@code /stats}. Every model asked for since the gateway
 * started is listed, also one with no replica, whose queue is what tells the operator to start one:
 *
 * <pre>{@code
 * {"inFlight": 3, "queued": 5,
 *  "models": [{"namespace": "ml", "name": "echo", "arrived": 120, "inFlight": 3, "queued": 5,
 *              "queuedNormal": 4, "queuedLow": 1, "replicas": 1}]}
 * }</pre>
 *
 * {@code arrived} counts requests since the gateway started (a rate is its difference between two
 * reads); {@code inFlight} and {@code queued} are now; {@code replicas} are the workers the model is
 * routed to now. Each gateway replica reports its own requests: the operator sums over them. Like
 * {@code /metrics} it needs no API key: it names models and counts, never inputs or keys.
 */
final class StatsApi {

  private final Supplier<List<ModelDemand>> demand;

  StatsApi(Supplier<List<ModelDemand>> demand) {
    this.demand = demand;
  }

  ObjectNode stats() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    List<ModelDemand> models = demand.get();
    body.put("inFlight", models.stream().mapToInt(ModelDemand::inFlight).sum());
    body.put("queued", models.stream().mapToInt(model -> model.queued().total()).sum());
    ArrayNode list = body.putArray("models");
    for (ModelDemand model : models) {
      list.addObject()
          .put("namespace", model.model().namespace())
          .put("name", model.model().name())
          .put("arrived", model.arrived())
          .put("inFlight", model.inFlight())
          .put("queued", model.queued().total())
          .put("queuedNormal", model.queued().normal())
          .put("queuedLow", model.queued().low())
          .put("replicas", model.replicas());
    }
    return body;
  }
}
