package dev.kiln.runtime.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.model.ModelStats;
import dev.kiln.runtime.model.ResidentModel;
import dev.kiln.runtime.model.ResidentModels;
import dev.kiln.runtime.onnx.ExecutionProvider;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /stats}: what the operator's autoscaler and the usage meter read from a worker: per
 * model in-flight, queued, completed and failed requests and busy seconds (cumulative), plus the
 * worker's readiness and execution provider.
 */
final class StatsRoutes {

  private final ResidentModels models;
  private final ServingState state;
  private final ExecutionProvider provider;

  StatsRoutes(ResidentModels models, ServingState state, ExecutionProvider provider) {
    this.models = models;
    this.state = state;
    this.provider = provider;
  }

  void register(HttpRouting.Builder routing) {
    routing.get("/stats", (request, response) -> JsonResponses.send(response, Status.OK_200, stats()));
  }

  ObjectNode stats() {
    ObjectNode body = JsonResponses.MAPPER.createObjectNode();
    body.put("ready", state.isReady());
    body.put("draining", state.isDraining());
    body.put("inFlight", state.inFlight());
    body.putObject("executionProvider").put("name", provider.cuda() ? "cuda" : "cpu").put("reason", provider.reason());
    Map<String, ResidentModel> resident = new TreeMap<>();
    models.list().forEach(model -> resident.put(model.name(), model));
    ArrayNode list = body.putArray("models");
    new TreeMap<>(models.stats()).forEach((name, stats) -> list.add(describe(name, stats, resident.get(name))));
    return body;
  }

  private ObjectNode describe(String name, ModelStats stats, ResidentModel model) {
    ObjectNode node = JsonResponses.MAPPER.createObjectNode();
    node.put("name", name);
    node.put("resident", model != null);
    if (model != null) {
      node.put("version", model.version());
      node.put("task", model.task());
      node.put("memoryBytes", model.memoryBytes());
      node.put("queued", model.model().queued());
      node.put("batches", model.model().batches());
    }
    node.put("inFlight", stats.inFlight());
    node.put("completed", stats.completed());
    node.put("failed", stats.failed());
    node.put("busyNanos", stats.busyNanos());
    node.put("busySeconds", stats.busySeconds());
    models.lastFailure(name).ifPresent(failure -> node.put("lastFailure", failure));
    return node;
  }
}
