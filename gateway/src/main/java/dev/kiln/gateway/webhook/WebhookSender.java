package dev.kiln.gateway.webhook;

import dev.kiln.gateway.queue.RequestRecord;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends completed requests' webhooks for a gateway without a database, each on a virtual thread of
 * its own, off the request path. Deliveries live in memory only: those still waiting for a retry
 * when the gateway stops are lost, like its queues ({@link OutboxDelivery} keeps them otherwise).
 */
public final class WebhookSender implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  private final WebhookRetry retry;
  private final WebhookPost post;
  private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();

  public WebhookSender(WebhookPost post, WebhookRetry retry) {
    this.retry = retry;
    this.post = post;
  }

  /**
   * Starts delivering {@code done}'s webhook to {@code url} and returns at once.
   *
   * @param userId the id of the key that submitted the request
   */
  public void deliver(URI url, String userId, RequestRecord done) {
    deliveries.execute(() -> {
      byte[] body = WebhookBody.of(done);
      WebhookRetry.Outcome outcome;
      try {
        outcome = retry.deliver(done.requestId(), () -> post.send(url, userId, done.requestId(), body));
      } catch (WebhookPost.RefusedWebhookTarget refused) {
        log.warn("webhook not sent requestId={}: {}", done.requestId(), refused.getMessage());
        return;
      }
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

  /** Stops: deliveries in progress or waiting for a retry are dropped. */
  @Override
  public void close() {
    deliveries.shutdownNow();
    post.close();
  }
}
