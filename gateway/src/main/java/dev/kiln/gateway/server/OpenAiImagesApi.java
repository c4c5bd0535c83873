package dev.kiln.gateway.server;

import dev.kiln.gateway.queue.WorkerPath;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.gateway.auth.AuthenticatedKey;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestResult;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.gateway.routing.RoutableModel;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * OpenAI's {@code POST /v1/images/generations} on the run listener, for {@code text-to-image}
 * Models. {@code model} is the Model's {@code <namespace>/<name>}; the key comes as
 * {@code Authorization: Bearer <key>} (what OpenAI's clients send) or {@code Key <key>}. The
 * request becomes fal's text-to-image input and runs through the dispatcher like a fal run, queued,
 * rate limited and metered the same; the model's fal output becomes OpenAI's images response.
 * Errors are OpenAI's {@code {"error": {...}}}.
 */
final class OpenAiImagesApi {

  static final String PATH = "/v1/images/generations";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEARER = "bearer ";

  private final Callers callers;
  private final Function<ModelKey, Optional<RoutableModel>> routes;
  private final SubmissionReader reader;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final long maxBodyBytes;

  OpenAiImagesApi(Callers callers, Function<ModelKey, Optional<RoutableModel>> routes, SubmissionReader reader,
      Dispatcher dispatcher, Clock clock, long maxBodyBytes) {
    this.callers = callers;
    this.routes = routes;
    this.reader = reader;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
  }

  void register(HttpRouting.Builder routing) {
    routing.post(PATH, this::generate);
  }

  private void generate(ServerRequest request, ServerResponse response) {
    try {
      FalCall call = GatewayServer.call(request, PATH, Map.of(), null, maxBodyBytes);
      OpenAiImageRequest images = OpenAiImageRequest.parse(call.body());
      AuthenticatedKey key = callers.admit(call.header("Authorization").map(OpenAiImagesApi::asKeyScheme),
          images.model());
      requireTextToImage(images);
      byte[] input = JSON.writeValueAsBytes(images.falInput());
      FalCall run = new FalCall("POST", PATH, Map.of(), name -> name.equalsIgnoreCase("Content-Type")
          ? Optional.of("application/json") : call.header(name), input, null);
      RequestRecord done = dispatcher.submit(reader.read(run, images.model(), key, WorkerPath.RUN),
          key.spendCap(), OptionalInt.empty()).get();
      response.header(Responses.REQUEST_ID_HEADER, done.requestId());
      if (done.result().isEmpty()) {
        throw OpenAiError.of(RequestErrors.asException(done.error().orElseThrow()));
      }
      RequestResult result = done.result().get();
      json(response, 200, OpenAiImageResponse.of(result.statusCode(), result.body().bytes(), images.format(),
          clock.instant()));
    } catch (FalException e) {
      error(response, OpenAiError.of(e));
    } catch (OpenAiError e) {
      error(response, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(response, OpenAiError.of(FalException.platform(503, "runner_disconnected", "the gateway is stopping")));
    } catch (ExecutionException e) {
      throw new IllegalStateException("an image generation's outcome was lost", e.getCause());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** OpenAI's clients send {@code Bearer <key>}; the key registry reads {@code Key <key>}. */
  static String asKeyScheme(String authorization) {
    String header = authorization.strip();
    return header.toLowerCase(Locale.ROOT).startsWith(BEARER) ? "Key " + header.substring(BEARER.length()) : header;
  }

  private void requireTextToImage(OpenAiImageRequest images) {
    RoutableModel model = routes.apply(new ModelKey(images.model().owner(), images.model().app()))
        .orElseThrow(() -> FalException.notFound("No Model " + images.model().app() + " in namespace "
            + images.model().owner() + ": kubectl get models -n " + images.model().owner() + " lists the ones there are"));
    if (model.task().filter(ModelTask.TEXT_TO_IMAGE::equals).isEmpty()) {
      throw OpenAiError.invalid("model", "model " + images.model().base() + " is a "
          + model.task().map(OpenAiImagesApi::wireName).orElse("model of unknown task")
          + " model: /v1/images/generations serves text-to-image Models only");
    }
  }

  private static String wireName(ModelTask task) {
    return task.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static void error(ServerResponse response, OpenAiError error) {
    error.headers().forEach(response::header);
    json(response, error.status(), error.body());
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
