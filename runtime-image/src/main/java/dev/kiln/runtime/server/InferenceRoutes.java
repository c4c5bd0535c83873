package dev.kiln.runtime.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.model.ResidentModel;
import dev.kiln.runtime.model.ResidentModels;
import dev.kiln.runtime.task.InvalidInputException;
import dev.kiln.runtime.task.Invocation;
import dev.kiln.runtime.task.InvocationResult;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inference: {@code POST /models/{name}/run} for every task, and the KServe Open Inference Protocol
 * v2 for tensor models ({@code POST /v2/models/{name}/infer}, model metadata and readiness, server
 * liveness and readiness). Each answer carries the busy seconds it cost in
 * {@code X-Kiln-Busy-Seconds} and the model version in {@code X-Kiln-Model-Version}. A run sent
 * with {@code X-Kiln-Request-Id} can be cancelled with {@code POST /requests/{id}/cancel}. The
 * request's log lines come in {@code X-Kiln-Logs} (see {@link RequestLogs}). A run or inference
 * with {@code ?version=V} runs version V, serving or staged, and is refused with 404 when V is not
 * here; without it, the serving version runs.
 */
final class InferenceRoutes {

  static final HeaderName BUSY_SECONDS = HeaderNames.create("X-Kiln-Busy-Seconds");
  static final HeaderName MODEL_VERSION = HeaderNames.create("X-Kiln-Model-Version");
  static final String VERSION_PARAMETER = "version";
  static final HeaderName REQUEST_ID = HeaderNames.create("X-Kiln-Request-Id");
  static final HeaderName LOGS = HeaderNames.create("X-Kiln-Logs");
  private static final Logger LOG = LoggerFactory.getLogger(InferenceRoutes.class);

  private final ResidentModels models;
  private final RequestBodies bodies;
  private final ServingState state;
  private final RunningRequests running = new RunningRequests();

  InferenceRoutes(ResidentModels models, RequestBodies bodies, ServingState state) {
    this.models = models;
    this.bodies = bodies;
    this.state = state;
  }

  void register(HttpRouting.Builder routing) {
    routing.post("/models/{name}/run", (request, response) -> invoke(request, response, false));
    routing.post("/v2/models/{name}/infer", (request, response) -> invoke(request, response, true));
    routing.post("/requests/{id}/cancel", this::cancel);
    routing.get("/v2/models/{name}", this::metadata);
    routing.get("/v2/models/{name}/ready", this::modelReady);
    routing.get("/v2/health/live", (request, response) -> JsonResponses.send(response, Status.OK_200,
        JsonResponses.MAPPER.createObjectNode().put("live", true)));
    routing.get("/v2/health/ready", (request, response) -> JsonResponses.send(response,
        state.isReady() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
        JsonResponses.MAPPER.createObjectNode().put("ready", state.isReady())));
  }

  private void invoke(ServerRequest request, ServerResponse response, boolean kserve) {
    String name = request.path().pathParameters().get("name");
    Optional<String> version = request.query().first(VERSION_PARAMETER).asOptional();
    Optional<ResidentModels.Hold> hold = models.hold(name, version);
    if (hold.isEmpty()) {
      notResident(response, name + version.map(v -> " version " + v).orElse(""), name);
      return;
    }
    try (ResidentModels.Hold held = hold.get()) {
      ResidentModel model = held.model();
      if (kserve && !model.task().equals("tensor")) {
        JsonResponses.error(response, Status.BAD_REQUEST_400, "wrong_protocol", "model " + name + " is a "
            + model.task() + " model; the KServe v2 protocol serves tensor models: use POST /models/" + name + "/run");
        return;
      }
      byte[] body = bodies.read(request);
      if (body == null) {
        JsonResponses.error(response, Status.REQUEST_ENTITY_TOO_LARGE_413, "body_too_large", bodies.tooLargeMessage());
        return;
      }
      String contentType = request.headers().contentType().map(HttpMediaType::text).orElse("application/json");
      Optional<String> requestId = request.headers().first(REQUEST_ID);
      InvocationResult result;
      try (RunningRequests.Registration registration = requestId.map(running::register).orElse(null)) {
        try {
          result = model.invoke(new Invocation(body, contentType));
        } catch (InterruptedException e) {
          if (registration == null || !registration.cancelled()) {
            throw e;
          }
          JsonResponses.error(response, Status.CONFLICT_409, "cancelled", "request " + requestId.get()
              + " was cancelled by its caller");
          return;
        }
      }
      response.header(BUSY_SECONDS, BigDecimal.valueOf(result.busyNanos(), 9).toPlainString())
          .header(MODEL_VERSION, model.version())
          .header(LOGS, RequestLogs.of(String.format(Locale.ROOT, "%s %s ran in %.1f ms", name, model.version(),
              result.busyNanos() / 1e6)))
          .header(HeaderNames.CONTENT_TYPE, result.contentType())
          .send(result.body());
    } catch (InvalidInputException e) {
      JsonResponses.error(response, Status.BAD_REQUEST_400, e.code(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      JsonResponses.error(response, Status.SERVICE_UNAVAILABLE_503, "interrupted", "the worker stopped the request");
    } catch (RuntimeException e) {
      LOG.error("model={} failed a request", name, e);
      JsonResponses.error(response, Status.INTERNAL_SERVER_ERROR_500, "model_failed",
          "model " + name + " failed: " + e.getMessage());
    }
  }

  private void cancel(ServerRequest request, ServerResponse response) {
    String id = request.path().pathParameters().get("id");
    if (running.cancel(id)) {
      JsonResponses.send(response, Status.ACCEPTED_202, JsonResponses.MAPPER.createObjectNode().put("cancelled", id));
    } else {
      JsonResponses.error(response, Status.NOT_FOUND_404, "not_running", "no request " + id + " is running here");
    }
  }

  private void metadata(ServerRequest request, ServerResponse response) {
    String name = request.path().pathParameters().get("name");
    models.list().stream().filter(model -> model.name().equals(name)).findFirst().ifPresentOrElse(model -> {
      ObjectNode body = JsonResponses.MAPPER.createObjectNode();
      body.put("name", model.name());
      body.putArray("versions").add(model.version());
      body.setAll(model.model().metadata());
      JsonResponses.send(response, Status.OK_200, body);
    }, () -> notResident(response, name, name));
  }

  private void modelReady(ServerRequest request, ServerResponse response) {
    String name = request.path().pathParameters().get("name");
    boolean resident = models.list().stream().anyMatch(model -> model.name().equals(name));
    JsonResponses.send(response, resident ? Status.OK_200 : Status.NOT_FOUND_404,
        JsonResponses.MAPPER.createObjectNode().put("name", name).put("ready", resident));
  }

  private void notResident(ServerResponse response, String what, String name) {
    String reason = models.lastFailure(name).map(failure -> "; its last load failed: " + failure).orElse("");
    JsonResponses.error(response, Status.NOT_FOUND_404, "unknown_model",
        "model " + what + " is not loaded on this worker" + reason);
  }
}
