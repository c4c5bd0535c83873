package dev.kiln.gateway.queue;

import dev.kiln.gateway.routing.ModelKey;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the gateway accepted, with what its run needs.
 *
 * @param apiKey the id of the key that sent it, for metering
 * @param startDeadline when it must have started ({@code X-Fal-Request-Timeout})
 * @param runnerHint the worker it would like ({@code X-Fal-Runner-Hint})
 * @param retry whether a worker that refused the connection may be replaced by another
 *     ({@code X-Fal-No-Retry} turns it off)
 * @param workerPath the runtime endpoint it goes to: fal's run, or KServe v2 inference
 * @param webhook where its outcome is sent once it completes ({@code fal_webhook})
 */
public record Submission(
    String requestId,
    ModelKey model,
    byte[] body,
    String contentType,
    Lane lane,
    Optional<Instant> startDeadline,
    Optional<String> runnerHint,
    boolean retry,
    String apiKey,
    WorkerPath workerPath,
    Optional<URI> webhook) {

  public Submission {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(workerPath, "workerPath");
    Objects.requireNonNull(webhook, "webhook");
  }
}
