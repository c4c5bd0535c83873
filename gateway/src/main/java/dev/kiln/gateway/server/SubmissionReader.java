package dev.kiln.gateway.server;

import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.queue.WorkerPath;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.crds.apikey.KeyPriority;
import dev.kiln.gateway.auth.AuthenticatedKey;
import dev.kiln.gateway.fal.EndpointId;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.queue.Lane;
import dev.kiln.gateway.queue.StartDeadline;
import dev.kiln.gateway.replicas.ReplicaId;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.gateway.webhook.WebhookTargets;
import dev.kiln.gateway.webhook.WebhookUrl;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a run or queue submission from a call: its input, lane, start deadline, runner hint, retry
 * wish and webhook.
 */
final class SubmissionReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final ReplicaId replica;
  private final WebhookTargets webhookTargets;

  /**
   * @param replica this gateway replica, which every request id it makes names
   * @param webhookTargets which {@code fal_webhook} URLs are accepted
   */
  SubmissionReader(Clock clock, ReplicaId replica, WebhookTargets webhookTargets) {
    this.clock = clock;
    this.replica = replica;
    this.webhookTargets = webhookTargets;
  }

  /**
   * @param workerPath the runtime endpoint the request goes to
   * @throws FalException 422 for input that is not the JSON it says it is, 400 for a header or
   *     parameter the gateway cannot use
   */
  Submission read(FalCall call, EndpointId endpoint, AuthenticatedKey key, WorkerPath workerPath) {
    String contentType = call.header("Content-Type").orElse("application/json");
    if (contentType.toLowerCase().startsWith("application/json")) {
      requireJson(call.body());
    }
    return read(call, endpoint, key, workerPath, call.body(), contentType);
  }

  /**
   * Reads a batch: a JSON body {@code {"inputs": [...]}} whose every input is the JSON a submission of its own would
   * carry; each gets its own request id, and the call's headers and parameters apply to all.
   *
   * @throws FalException 422 for a body that is not such an object, or with no inputs or more than {@code maxInputs}
   */
  List<Submission> readBatch(FalCall call, EndpointId endpoint, AuthenticatedKey key, int maxInputs) {
    JsonNode inputs;
    try {
      inputs = JSON.readTree(call.body()).path("inputs");
    } catch (java.io.IOException e) {
      inputs = null;
    }
    if (inputs == null || !inputs.isArray() || inputs.isEmpty() || inputs.size() > maxInputs) {
      ObjectNode problem = JsonNodeFactory.instance.objectNode();
      problem.putArray("loc").add("body").add("inputs");
      problem.put("msg", "a batch is a JSON object {\"inputs\": [...]} with 1 to " + maxInputs
          + " inputs, each the JSON input of one request");
      problem.put("type", "value_error");
      throw FalException.invalidInput(problem);
    }
    List<Submission> items = new ArrayList<>(inputs.size());
    for (JsonNode input : inputs) {
      items.add(read(call, endpoint, key, WorkerPath.RUN, input.toString().getBytes(StandardCharsets.UTF_8),
          "application/json"));
    }
    return items;
  }

  private Submission read(FalCall call, EndpointId endpoint, AuthenticatedKey key, WorkerPath workerPath, byte[] body,
      String contentType) {
    Instant now = clock.instant();
    Optional<Instant> deadline;
    Lane lane;
    Optional<URI> webhook;
    try {
      webhook = call.queryParameter("fal_webhook").map(WebhookUrl::parse).map(this::allowedWebhook);
      deadline = call.header("X-Fal-Request-Timeout").map(seconds -> StartDeadline.fromTimeoutHeader(seconds, now));
      lane = Lane.forRequest(call.header("X-Fal-Queue-Priority"),
          key.priority() == KeyPriority.BATCH ? Lane.LOW : Lane.NORMAL);
    } catch (IllegalArgumentException e) {
      throw FalException.badRequest(e.getMessage());
    }
    boolean noRetry = call.header("X-Fal-No-Retry").map(SubmissionReader::truthy).orElse(false);
    return new Submission(replica.newRequestId(), new ModelKey(endpoint.owner(), endpoint.app()), body,
        contentType, lane, deadline, call.header("X-Fal-Runner-Hint"), !noRetry, key.id(), workerPath, webhook);
  }

  /** @throws IllegalArgumentException saying why, for a webhook to an internal address that is not allow-listed */
  private URI allowedWebhook(URI url) {
    if (webhookTargets.checkWithoutResolving(url) instanceof WebhookTargets.Verdict.Refused refused) {
      throw new IllegalArgumentException(refused.reason());
    }
    return url;
  }

  /** The caller's {@code fal_max_queue_length}. @throws FalException 400 when it is not a whole number */
  static OptionalInt maxQueueLength(FalCall call) {
    Optional<String> value = call.queryParameter("fal_max_queue_length");
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      int length = Integer.parseInt(value.get().trim());
      if (length < 0) {
        throw new NumberFormatException();
      }
      return OptionalInt.of(length);
    } catch (NumberFormatException e) {
      throw FalException.badRequest("fal_max_queue_length must be a whole number of 0 or more, got '" + value.get() + "'");
    }
  }

  private static void requireJson(byte[] body) {
    try {
      JSON.readTree(body);
    } catch (JsonProcessingException e) {
      ObjectNode problem = JsonNodeFactory.instance.objectNode();
      problem.putArray("loc").add("body");
      problem.put("msg", "the body is not valid JSON: " + e.getOriginalMessage());
      problem.put("type", "value_error.jsondecode");
      throw FalException.invalidInput(problem);
    } catch (java.io.IOException e) {
      throw FalException.badRequest("the body could not be read: " + e.getMessage());
    }
  }

  private static boolean truthy(String value) {
    return value.equals("1") || value.equalsIgnoreCase("true");
  }
}
