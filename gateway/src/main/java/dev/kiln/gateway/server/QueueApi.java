package dev.kiln.gateway.server;

import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.queue.WorkerPath;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.auth.AuthenticatedKey;
import dev.kiln.gateway.fal.EndpointId;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.fal.QueuePath;
import dev.kiln.gateway.fal.RequestStatus;
import dev.kiln.gateway.queue.CancelOutcome;
import dev.kiln.gateway.replicas.GatewayReplicas;
import dev.kiln.gateway.queue.Lookup;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestState;
import dev.kiln.gateway.queue.RequestReader;
import dev.kiln.gateway.results.ResultFiles;
import dev.kiln.gateway.results.StoredObject;
import dev.kiln.gateway.store.ResultLinks;
import dev.kiln.gateway.store.WebhookAttempt;
import dev.kiln.gateway.store.WebhookLog;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.gateway.webhook.WebhookSender;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * fal's queue API: submit, status, status stream, result and cancel. A request's status, result
 * and cancellation are served to any key that may call its model. A request submitted with
 * {@code fal_webhook} has its outcome sent there once it completes. With a durable queue, requests live in the
 * database, and every replica answers for all of them; without one, they live in the replica that accepted them, and
 * a call about one that another replica holds is sent on to it.
 */
final class QueueApi {

  private static final Duration PING = Duration.ofSeconds(15);

  private final Callers callers;
  private final Models models;
  private final SubmissionReader reader;
  private final Dispatcher dispatcher;
  private final RequestReader requests;
  private final WebhookSender webhooks;
  private final Function<String, Optional<WebhookLog>> webhookLogs;
  private final GatewayReplicas replicas;
  private final PeerForwarder forwarder;
  private final BatchApi batches;

  QueueApi(Callers callers, Models models, SubmissionReader reader, Dispatcher dispatcher, RequestReader requests,
      WebhookSender webhooks, Function<String, Optional<WebhookLog>> webhookLogs, GatewayReplicas replicas,
      PeerForwarder forwarder) {
    this.callers = callers;
    this.models = models;
    this.reader = reader;
    this.dispatcher = dispatcher;
    this.requests = requests;
    this.webhooks = webhooks;
    this.webhookLogs = webhookLogs;
    this.replicas = replicas;
    this.forwarder = forwarder;
    this.batches = new BatchApi(callers, models, reader, dispatcher);
  }

  void serve(FalCall call, ServerResponse response) {
    if (BatchApi.handles(call.path())) {
      batches.serve(call, response);
      return;
    }
    if (call.path().startsWith(ResultFiles.PATH) && call.method().equalsIgnoreCase("GET")) {
      resultFile(call, response);
      return;
    }
    try {
      QueuePath path = QueuePath.of(call.method(), call.path());
      if (path instanceof QueuePath.OfRequest ofRequest && heldElsewhere(call, ofRequest, response)) {
        return;
      }
      switch (path) {
        case QueuePath.Submit submit -> submit(call, submit.endpoint(), response);
        case QueuePath.Status status when status.stream() -> streamStatus(call, status, response);
        case QueuePath.Status status -> status(call, status.endpoint(), status.requestId(), response);
        case QueuePath.Result result -> result(call, result.endpoint(), result.requestId(), response);
        case QueuePath.Cancel cancel -> cancel(call, cancel.endpoint(), cancel.requestId(), response);
      }
    } catch (FalException e) {
      Responses.error(response, e, Optional.empty());
    }
  }

  /**
   * Answers a call about a request another replica holds, by sending it on there, once the caller
   * may see the model's requests at all.
   *
   * @return false when this replica answers itself: the request is its own, or the call was forwarded to it
   */
  private boolean heldElsewhere(FalCall call, QueuePath.OfRequest path, ServerResponse response) {
    if (dispatcher.durable() || PeerForwarder.isForwarded(call)
        || !(requests.lookup(path.requestId()) instanceof Lookup.NotFound)) {
      return false;
    }
    return switch (replicas.ownerOf(path.requestId())) {
      case GatewayReplicas.Self self -> false;
      case GatewayReplicas.Peer peer -> {
        callers.identify(call.header("Authorization"), path.endpoint());
        forwarder.forward(call, peer, path instanceof QueuePath.Status status && status.stream(), response);
        yield true;
      }
      case GatewayReplicas.Gone gone -> {
        callers.identify(call.header("Authorization"), path.endpoint());
        throw FalException.notFound("Request " + path.requestId() + " was accepted by a gateway replica that has "
            + "since stopped; requests it held were lost with it: submit again");
      }
    };
  }

  private void submit(FalCall call, EndpointId endpoint, ServerResponse response) {
    AuthenticatedKey key = callers.admit(call.header("Authorization"), endpoint);
    models.require(endpoint);
    Submission submission = reader.read(call, endpoint, key, WorkerPath.RUN);
    if (dispatcher.durable()) {
      // The replica that completes it sends its webhook.
      dispatcher.enqueue(submission, key.spendCap(), SubmissionReader.maxQueueLength(call), call.urls().base());
    } else {
      CompletableFuture<RequestRecord> done = dispatcher.submit(submission, key.spendCap(), SubmissionReader.maxQueueLength(call));
      submission.webhook().ifPresent(url -> done.thenAccept(record -> webhooks.deliver(url, key.id(), record)));
    }
    RequestStatus queued = new RequestStatus(RequestStatus.State.IN_QUEUE, endpoint, submission.requestId(),
        OptionalInt.of(dispatcher.position(submission.requestId()).orElse(0)), Optional.empty(), OptionalDouble.empty(),
        Optional.empty());
    Responses.json(response, 200, queued.toJson(call.urls()), Optional.of(submission.requestId()));
  }

  private void status(FalCall call, EndpointId endpoint, String requestId, ServerResponse response) {
    RequestRecord request = find(call, endpoint, requestId);
    RequestStatus status = status(endpoint, request, logsWanted(call));
    ObjectNode json = status.toJson(call.urls());
    webhookLogs.apply(requestId).ifPresent(log -> json.set("webhook", webhookJson(log)));
    Responses.json(response, status.httpStatus(), json, Optional.of(requestId));
  }

  private void streamStatus(FalCall call, QueuePath.Status path, ServerResponse response) {
    RequestRecord request = find(call, path.endpoint(), path.requestId());
    boolean logs = logsWanted(call);
    try (Responses.EventStream events = Responses.events(response, Optional.of(path.requestId()))) {
      JsonNode sent = null;
      while (true) {
        JsonNode current = status(path.endpoint(), request, logs).toJson(call.urls());
        // A change the caller cannot see (a log line when logs are off) sends nothing new.
        if (!current.equals(sent)) {
          events.send(current);
          sent = current;
        }
        if (request.state() == RequestState.COMPLETED) {
          return;
        }
        long seen = request.version();
        if (!(requests.awaitChange(path.requestId(), seen, PING) instanceof Lookup.Found found)) {
          return;
        }
        if (found.request().version() == seen) {
          events.ping();
        }
        request = found.request();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void result(FalCall call, EndpointId endpoint, String requestId, ServerResponse response) {
    RequestRecord request = find(call, endpoint, requestId);
    if (request.state() != RequestState.COMPLETED) {
      Responses.error(response, FalException.badRequest("Request is still in progress: poll its status_url until "
          + "COMPLETED"), Optional.of(requestId));
      return;
    }
    Responses.outcome(response, dispatcher.durable() ? ResultLinks.linked(request, call.urls().base()) : request);
  }

  /**
   * A large output of a durable request, at the URL its result names: served to whoever has the URL, as fal's CDN
   * serves files, its key holding the request's unguessable id.
   */
  private void resultFile(FalCall call, ServerResponse response) {
    String key = call.path().substring(ResultFiles.PATH.length());
    Optional<StoredObject> object;
    try {
      object = dispatcher.resultObject(key);
    } catch (IllegalArgumentException e) {
      object = Optional.empty();
    }
    if (object.isEmpty()) {
      Responses.error(response, FalException.notFound("No result file " + key + ": it is removed with its request "
          + "once the request's retention ends (KILN_GATEWAY_RESULT_RETENTION)"), Optional.empty());
      return;
    }
    response.header(HeaderNames.CONTENT_TYPE, object.get().contentType()).send(object.get().bytes());
  }

  private void cancel(FalCall call, EndpointId endpoint, String requestId, ServerResponse response) {
    find(call, endpoint, requestId);
    CancelOutcome outcome = dispatcher.cancel(requestId);
    int status = switch (outcome) {
      case CANCELLATION_REQUESTED -> 202;
      case ALREADY_COMPLETED -> 400;
      case NOT_FOUND -> 404;
    };
    Responses.json(response, status, JsonNodeFactory.instance.objectNode().put("status", outcome.name()),
        Optional.of(requestId));
  }

  /** The request, once the caller is admitted to its model. @throws FalException 404 when there is none */
  private RequestRecord find(FalCall call, EndpointId endpoint, String requestId) {
    callers.identify(call.header("Authorization"), endpoint);
    Lookup lookup = requests.lookup(requestId);
    ModelKey model = new ModelKey(endpoint.owner(), endpoint.app());
    return switch (lookup) {
      case Lookup.Found found when found.request().model().equals(model.toString()) -> found.request();
      case Lookup.Expired expired -> throw FalException.notFound("Request " + requestId
          + " completed longer ago than this gateway keeps results (KILN_GATEWAY_RESULT_RETENTION)");
      default -> throw FalException.notFound("Request " + requestId + " of " + endpoint.base() + " does not exist");
    };
  }

  private RequestStatus status(EndpointId endpoint, RequestRecord request, boolean logs) {
    RequestStatus.State state = RequestStatus.State.valueOf(request.state().name());
    OptionalInt position = state == RequestStatus.State.IN_QUEUE
        ? OptionalInt.of(dispatcher.position(request.requestId()).orElse(0))
        : OptionalInt.empty();
    OptionalDouble inference = request.inferenceTime()
        .map(time -> OptionalDouble.of(time.toNanos() / 1e9))
        .orElse(OptionalDouble.empty());
    return new RequestStatus(state, endpoint, request.requestId(), position,
        logs ? Optional.of(request.logs()) : Optional.empty(), inference,
        request.error().map(error -> new RequestStatus.Failure(error.message(), error.errorType())));
  }

  /** Kiln's addition to a status: where the request's webhook stands, with every attempt made. */
  private static ObjectNode webhookJson(WebhookLog log) {
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("url", log.url()).put("state", log.state());
    var attempts = json.putArray("attempts");
    for (WebhookAttempt attempt : log.attempts()) {
      ObjectNode entry = attempts.addObject().put("attempt", attempt.attempt()).put("at", attempt.at().toString());
      attempt.status().ifPresent(status -> entry.put("status", status));
      attempt.error().ifPresent(error -> entry.put("error", error));
    }
    log.nextAttemptAt().ifPresent(next -> json.put("next_attempt_at", next.toString()));
    return json;
  }

  private static boolean logsWanted(FalCall call) {
    return call.queryParameter("logs").map(value -> value.equals("1") || value.equalsIgnoreCase("true")).orElse(false);
  }
}
