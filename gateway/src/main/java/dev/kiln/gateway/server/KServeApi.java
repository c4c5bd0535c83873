package dev.kiln.gateway.server;

import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.queue.WorkerPath;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.auth.AuthenticatedKey;
import dev.kiln.gateway.fal.EndpointId;
import dev.kiln.gateway.fal.FalErrors;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestResult;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.gateway.routing.RoutableModel;
import dev.kiln.gateway.routing.Worker;
import dev.kiln.gateway.worker.WorkerClient;
import dev.kiln.gateway.worker.WorkerFailure;
import dev.kiln.gateway.worker.WorkerResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * KServe's Open Inference Protocol v2 on the run listener, for {@code tensor} models.
 *
 * <p>The v2 model name is the fal endpoint id, {@code {namespace}/{name}}: KServe and Triton
 * clients put the model name into the URL verbatim, so {@code model_name="ml/resnet"} calls
 * {@code POST /v2/models/ml/resnet/infer}. Calls carry the same API keys as fal's
 * ({@code Authorization: Key ...}, as a client header). Inference goes through the dispatcher like
 * a run, queued and metered the same, to the worker's {@code /v2/models/{name}/infer}; model
 * metadata comes from a replica of the model, readiness from the routing table (ready while the
 * model has a replica), server health from the gateway itself. Errors are v2's
 * {@code {"error": "..."}}. An inference answer is the worker's, so its {@code model_name} is the
 * bare name. Model versions and Triton's extensions (binary tensors, repository, statistics) are
 * not served.
 */
final class KServeApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Callers callers;
  private final Models models;
  private final Function<ModelKey, Optional<RoutableModel>> routes;
  private final SubmissionReader reader;
  private final Dispatcher dispatcher;
  private final WorkerClient workers;
  private final BooleanSupplier ready;
  private final long maxBodyBytes;

  KServeApi(Callers callers, Function<ModelKey, Optional<RoutableModel>> routes, SubmissionReader reader,
      Dispatcher dispatcher, WorkerClient workers, BooleanSupplier ready, long maxBodyBytes) {
    this.callers = callers;
    this.models = new Models(routes);
    this.routes = routes;
    this.reader = reader;
    this.dispatcher = dispatcher;
    this.workers = workers;
    this.ready = ready;
    this.maxBodyBytes = maxBodyBytes;
  }

  void register(HttpRouting.Builder routing) {
    routing.get("/v2/health/live", (request, response) -> json(response, 200, object().put("live", true)));
    routing.get("/v2/health/ready", (request, response) -> {
      boolean now = ready.getAsBoolean();
      json(response, now ? 200 : 503, object().put("ready", now));
    });
    routing.post("/v2/models/{namespace}/{name}/infer", (request, response) -> answer(response, () -> infer(request, response)));
    routing.get("/v2/models/{namespace}/{name}/ready", (request, response) -> answer(response, () -> modelReady(request, response)));
    routing.get("/v2/models/{namespace}/{name}", (request, response) -> answer(response, () -> metadata(request, response)));
    // Only v2's own prefixes, so fal's run API still reaches a namespace named v2.
    for (String prefix : List.of("/v2/models/*", "/v2/health/*")) {
      routing.any(prefix, (request, response) -> error(response, 404, request.prologue().method().text() + " "
          + request.path().rawPath() + " is not served: the gateway serves KServe v2 inference, model metadata and "
          + "readiness at /v2/models/{namespace}/{name}[/infer|/ready], without model versions"));
    }
  }

  private void infer(ServerRequest request, ServerResponse response) throws InterruptedException {
    EndpointId endpoint = endpoint(request);
    // No status URLs: a v2 inference is answered on its own connection.
    FalCall call = GatewayServer.call(request, request.path().rawPath(), Map.of(), null, maxBodyBytes);
    AuthenticatedKey key = callers.admit(call.header("Authorization"), endpoint);
    models.require(endpoint);
    Submission submission = reader.read(call, endpoint, key, WorkerPath.KSERVE_INFER);
    RequestRecord done;
    try {
      done = dispatcher.submit(submission, key.spendCap(), OptionalInt.empty()).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("an inference request's outcome was lost", e.getCause());
    }
    Optional<RequestResult> result = done.result();
    if (result.isEmpty()) {
      throw RequestErrors.asException(done.error().orElseThrow());
    }
    response.header(Responses.REQUEST_ID_HEADER, done.requestId());
    response.status(Status.create(result.get().statusCode()))
        .header(HeaderNames.CONTENT_TYPE, result.get().contentType())
        .send(result.get().body().bytes());
  }

  private void modelReady(ServerRequest request, ServerResponse response) {
    EndpointId endpoint = endpoint(request);
    callers.identify(authorization(request), endpoint);
    models.require(endpoint);
    boolean replica = !model(endpoint).workers().isEmpty();
    json(response, replica ? 200 : 400, object().put("name", endpoint.base()).put("ready", replica));
  }

  private void metadata(ServerRequest request, ServerResponse response) {
    EndpointId endpoint = endpoint(request);
    callers.identify(authorization(request), endpoint);
    models.require(endpoint);
    List<Worker> replicas = model(endpoint).workers();
    if (replicas.isEmpty()) {
      throw FalException.platform(503, "no_replica", "model " + endpoint.base() + " has no running replica to "
          + "describe it yet; inference requests wait for one, so send one or retry later");
    }
    WorkerResponse answer = describe(replicas, endpoint.app());
    if (answer.status() != 200) {
      response.status(Status.create(answer.status())).header(HeaderNames.CONTENT_TYPE, answer.contentType())
          .send(answer.body());
      return;
    }
    ObjectNode described = (ObjectNode) readTree(answer.body());
    described.put("name", endpoint.base());
    json(response, 200, described);
  }

  /** The first answer of the model's replicas, tried in turn. @throws FalException 503 when none answers */
  private WorkerResponse describe(List<Worker> replicas, String model) {
    List<String> failures = new ArrayList<>();
    for (Worker replica : replicas) {
      try {
        return workers.get(replica.kserveUri(model, ""));
      } catch (WorkerFailure e) {
        failures.add(e.getMessage());
      }
    }
    throw FalException.platform(503, "runner_disconnected", "no replica of " + model + " answered: "
        + String.join("; ", failures));
  }

  private RoutableModel model(EndpointId endpoint) {
    return routes.apply(new ModelKey(endpoint.owner(), endpoint.app())).orElseThrow(() -> FalException.notFound(
        "No Model " + endpoint.app() + " in namespace " + endpoint.owner()));
  }

  private static EndpointId endpoint(ServerRequest request) {
    var parameters = request.path().pathParameters();
    return EndpointId.of(List.of(parameters.get("namespace"), parameters.get("name")));
  }

  private static Optional<String> authorization(ServerRequest request) {
    return request.headers().first(HeaderNames.AUTHORIZATION);
  }

  /** Runs {@code call}, answering what it throws in v2's error shape. */
  private static void answer(ServerResponse response, Call call) {
    try {
      call.run();
    } catch (FalException e) {
      FalErrors.headers(e).forEach(response::header);
      error(response, e.status(), e.detail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(response, 503, "the gateway is stopping");
    }
  }

  @FunctionalInterface
  private interface Call {
    void run() throws InterruptedException;
  }

  private static void error(ServerResponse response, int status, String message) {
    json(response, status, object().put("error", message));
  }

  private static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static JsonNode readTree(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void json(ServerResponse response, int status, JsonNode body) {
    try {
      response.status(Status.create(status)).header(HeaderNames.CONTENT_TYPE, "application/json")
          .send(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
