package dev.kiln.gateway.webhook;

import dev.kiln.gateway.queue.RequestRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends completed requests' webhooks, each on a virtual thread of its own, off the request path.
 * Each attempt is signed anew, so its timestamp is current. Deliveries live in memory only: those
 * still waiting for a retry when the gateway stops are lost, like its queues.
 */
public final class WebhookSender implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);

  private final WebhookSigner signer;
  private final WebhookRetry retry;
  private final Clock clock;
  private final HttpClient http;
  private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();

  public WebhookSender(WebhookSigner signer, WebhookRetry retry, Clock clock) {
    this.signer = signer;
    this.retry = retry;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Starts delivering {@code done}'s webhook to {@code url} and returns at once.
   *
   * @param userId the id of the key that submitted the request
   */
  public void deliver(URI url, String userId, RequestRecord done) {
    deliveries.execute(() -> {
      byte[] body = WebhookBody.of(done);
      WebhookRetry.Outcome outcome = retry.deliver(done.requestId(), () -> send(url, userId, done.requestId(), body));
      switch (outcome) {
        case WebhookRetry.Outcome.Delivered delivered -> log.info("webhook delivered requestId={} status={} attempts={}",
            done.requestId(), delivered.status(), delivered.attempts());
        case WebhookRetry.Outcome.Refused refused -> log.warn("webhook refused by its receiver requestId={} status={} "
            + "attempts={}", done.requestId(), refused.status(), refused.attempts());
        case WebhookRetry.Outcome.GaveUp gaveUp -> log.error("webhook not delivered requestId={} attempts={} "
            + "lastFailure={}", done.requestId(), gaveUp.attempts(), gaveUp.lastFailure());
      }
    });
  }

  private int send(URI url, String userId, String requestId, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(ATTEMPT_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signer.headers(requestId, userId, clock.instant(), body).forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Stops: deliveries in progress or waiting for a retry are dropped. */
  @Override
  public void close() {
    deliveries.shutdownNow();
    http.shutdownNow();
  }
}
