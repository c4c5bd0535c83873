package dev.kiln.runtime.server;

import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.model.LoadRequest;
import dev.kiln.runtime.model.ResidentModel;
import dev.kiln.runtime.model.ResidentModels;
import dev.kiln.runtime.task.ModelLoadException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's API on each worker: {@code POST /admin/models} loads a model and answers once it
 * is warm (or with the reason it failed), idempotently, staging it beside the serving version when
 * asked; {@code DELETE /admin/models/{name}} unloads it ({@code ?version=V}: only that version);
 * {@code GET /admin/models} lists what is resident with its memory, staged versions marked
 * {@code "staged": true}; {@code POST /admin/drain} stops taking new work ahead of the worker's
 * removal.
 */
final class AdminRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

  private final ResidentModels models;
  private final RequestBodies bodies;
  private final ServingState state;

  AdminRoutes(ResidentModels models, RequestBodies bodies, ServingState state) {
    this.models = models;
    this.bodies = bodies;
    this.state = state;
  }

  void register(HttpRouting.Builder routing) {
    routing.get("/admin/models", this::list);
    routing.post("/admin/models", this::load);
    routing.delete("/admin/models/{name}", this::unload);
    routing.post("/admin/drain", this::drain);
  }

  private void list(ServerRequest request, ServerResponse response) {
    ObjectNode body = JsonResponses.MAPPER.createObjectNode();
    ArrayNode resident = body.putArray("models");
    models.list().forEach(model -> resident.add(describe(model)));
    models.staged().forEach(model -> resident.add(describe(model).put("staged", true)));
    ObjectNode failures = body.putObject("failures");
    models.lastFailures().forEach(failures::put);
    JsonResponses.send(response, Status.OK_200, body);
  }

  private void load(ServerRequest request, ServerResponse response) {
    byte[] body = bodies.read(request);
    if (body == null) {
      JsonResponses.error(response, Status.REQUEST_ENTITY_TOO_LARGE_413, "body_too_large", bodies.tooLargeMessage());
      return;
    }
    LoadRequest load;
    try {
      load = JsonResponses.MAPPER.readValue(body, LoadRequest.class);
    } catch (IOException e) {
      JsonResponses.error(response, Status.BAD_REQUEST_400, "malformed_request", "the load request is not valid: "
          + reason(e));
      return;
    }
    try {
      ResidentModel model = models.load(load);
      ObjectNode described = describe(model);
      if (models.staged().contains(model)) {
        described.put("staged", true);
      }
      JsonResponses.send(response, Status.OK_200, described);
    } catch (ModelLoadException e) {
      LOG.warn("load failed model={} version={}: {}", load.name(), load.version(), e.getMessage());
      JsonResponses.error(response, Status.create(422, "Unprocessable Content"), "load_failed", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      JsonResponses.error(response, Status.SERVICE_UNAVAILABLE_503, "interrupted", "the worker stopped the load");
    }
  }

  private void unload(ServerRequest request, ServerResponse response) {
    String name = request.path().pathParameters().get("name");
    Optional<String> version = request.query().first("version").asOptional();
    if (version.map(v -> models.unload(name, v)).orElseGet(() -> models.unload(name))) {
      JsonResponses.send(response, Status.OK_200, JsonResponses.MAPPER.createObjectNode().put("unloaded", name));
    } else {
      JsonResponses.error(response, Status.NOT_FOUND_404, "unknown_model", "model " + name
          + version.map(v -> " version " + v).orElse("") + " is not loaded here");
    }
  }

  private void drain(ServerRequest request, ServerResponse response) {
    state.startDraining();
    LOG.info("draining on request: no new work, {} request(s) in flight", state.inFlight());
    JsonResponses.send(response, Status.ACCEPTED_202,
        JsonResponses.MAPPER.createObjectNode().put("draining", true).put("inFlight", state.inFlight()));
  }

  static ObjectNode describe(ResidentModel model) {
    ObjectNode node = JsonResponses.MAPPER.createObjectNode();
    node.put("name", model.name());
    node.put("version", model.version());
    node.put("task", model.task());
    node.put("memoryBytes", model.memoryBytes());
    node.put("loadedAt", model.loadedAt().toString());
    node.put("loadMillis", model.loadTime().toMillis());
    return node;
  }

  private static String reason(IOException e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof IllegalArgumentException) {
      return cause.getMessage();
    }
    return e instanceof DatabindException databind ? databind.getOriginalMessage() : e.getMessage();
  }
}
