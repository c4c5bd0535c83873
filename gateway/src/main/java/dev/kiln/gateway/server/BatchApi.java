package dev.kiln.gateway.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.auth.AuthenticatedKey;
import dev.kiln.gateway.fal.EndpointId;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.fal.QueuePath;
import dev.kiln.gateway.queue.RequestState;
import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.gateway.store.Batch;
import dev.kiln.gateway.store.BatchItem;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Kiln's batch API, on the queue listener beside fal's: {@code POST /-/batches/{owner}/{app}} with {@code {"inputs":
 * [...]}} submits each input as a queued request of its own (its own id, status, result and webhook), all or none;
 * {@code GET /-/batches/{batch_id}} sums them up. {@code -} is no namespace's name, so these paths never meet a
 * model's.
 */
final class BatchApi {

  static final String PREFIX = "/-/batches";
  /** The most inputs one batch may carry. */
  static final int MAX_INPUTS = 10_000;

  private final Callers callers;
  private final Models models;
  private final SubmissionReader reader;
  private final Dispatcher dispatcher;

  BatchApi(Callers callers, Models models, SubmissionReader reader, Dispatcher dispatcher) {
    this.callers = callers;
    this.models = models;
    this.reader = reader;
    this.dispatcher = dispatcher;
  }

  static boolean handles(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  void serve(FalCall call, ServerResponse response) {
    try {
      if (!dispatcher.durable()) {
        throw new FalException(501, "Batches need the durable queue: set KILN_GATEWAY_DATABASE_URL to a PostgreSQL "
            + "database", Optional.empty(), Optional.empty());
      }
      List<String> segments = QueuePath.segments(call.path().substring(PREFIX.length()));
      if (segments.size() == 1 && call.method().equalsIgnoreCase("GET")) {
        status(call, segments.getFirst(), response);
      } else if (segments.size() >= 2 && call.method().equalsIgnoreCase("POST")) {
        submit(call, EndpointId.of(segments), response);
      } else {
        throw FalException.notFound("use POST " + PREFIX + "/{owner}/{app} with {\"inputs\": [...]} to submit a batch, "
            + "GET " + PREFIX + "/{batch_id} for its status");
      }
    } catch (FalException e) {
      Responses.error(response, e, Optional.empty());
    }
  }

  private void submit(FalCall call, EndpointId endpoint, ServerResponse response) {
    AuthenticatedKey key = callers.admit(call.header("Authorization"), endpoint);
    models.require(endpoint);
    List<Submission> items = reader.readBatch(call, endpoint, key, MAX_INPUTS);
    String batchId = UUID.randomUUID().toString();
    dispatcher.enqueueBatch(batchId, new ModelKey(endpoint.owner(), endpoint.app()), key.id(), key.spendCap(),
        items, call.urls().base());
    ObjectNode json = JsonNodeFactory.instance.objectNode()
        .put("batch_id", batchId)
        .put("status_url", call.urls().base().resolve(PREFIX + "/" + batchId).toString());
    var requests = json.putArray("requests");
    for (Submission item : items) {
      requests.addObject()
          .put("request_id", item.requestId())
          .put("status_url", call.urls().status(endpoint, item.requestId()))
          .put("response_url", call.urls().response(endpoint, item.requestId()));
    }
    Responses.json(response, 200, json, Optional.empty());
  }

  private void status(FalCall call, String batchId, ServerResponse response) {
    Batch batch = dispatcher.batch(batchId)
        .orElseThrow(() -> FalException.notFound("Batch " + batchId + " does not exist"));
    callers.identify(call.header("Authorization"), new EndpointId(batch.model().namespace(), batch.model().name(),
        Optional.empty()));
    ObjectNode json = JsonNodeFactory.instance.objectNode()
        .put("batch_id", batch.id())
        .put("model", batch.model().toString())
        .put("created_at", batch.createdAt().toString())
        .put("total", batch.items().size())
        .put("in_queue", batch.count(RequestState.IN_QUEUE))
        .put("in_progress", batch.count(RequestState.IN_PROGRESS))
        .put("completed", batch.count(RequestState.COMPLETED))
        .put("succeeded", batch.succeeded())
        .put("failed", batch.failed());
    var requests = json.putArray("requests");
    for (BatchItem item : batch.items()) {
      ObjectNode entry = requests.addObject().put("request_id", item.requestId()).put("status", item.state().name());
      if (item.state() == RequestState.COMPLETED) {
        entry.put("succeeded", item.succeeded());
      }
    }
    Responses.json(response, batch.count(RequestState.COMPLETED) == batch.items().size() ? 200 : 202, json,
        Optional.empty());
  }
}
