package dev.kiln.gateway.webhook;

import dev.kiln.gateway.store.DueWebhook;
import dev.kiln.gateway.store.WebhookAttempt;
import dev.kiln.gateway.store.WebhookOutbox;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the webhooks in the {@link WebhookOutbox}: on a short tick it claims those due, attempts each on a virtual
 * thread of its own, and records the attempt. A 2xx delivers it; a 5xx, a 429 or a receiver that cannot be reached
 * has it tried again later, with the {@link WebhookRetry} backoff and jitter, until {@value WebhookRetry#ATTEMPTS}
 * attempts; any other answer is the receiver refusing it.
 */
public final class OutboxDelivery implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxDelivery.class);
  private static final int CLAIM_AT_ONCE = 32;

  private final WebhookOutbox outbox;
  private final WebhookPost post;
  private final WebhookRetry retry;
  private final Clock clock;
  private final RandomGenerator jitter = new SecureRandom();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kiln-webhook-outbox").daemon().factory());

  /** Starts delivering, looking for due webhooks every {@code pollEvery}. */
  public OutboxDelivery(WebhookOutbox outbox, WebhookPost post, WebhookRetry retry, Clock clock, Duration pollEvery) {
    this.outbox = outbox;
    this.post = post;
    this.retry = retry;
    this.clock = clock;
    ticker.scheduleWithFixedDelay(this::tick, pollEvery.toMillis(), pollEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      if (inFlight.size() >= CLAIM_AT_ONCE) {
        return;
      }
      for (DueWebhook webhook : outbox.claimDue(CLAIM_AT_ONCE - inFlight.size())) {
        inFlight.add(webhook.requestId());
        attempts.execute(() -> {
          try {
            attempt(webhook);
          } finally {
            inFlight.remove(webhook.requestId());
          }
        });
      }
    } catch (RuntimeException e) {
      log.error("webhook outbox tick failed", e);
    }
  }

  private void attempt(DueWebhook webhook) {
    int attempt = webhook.attempts() + 1;
    Instant at = clock.instant();
    OptionalInt status = OptionalInt.empty();
    Optional<String> error = Optional.empty();
    try {
      status = OptionalInt.of(post.send(webhook.url(), webhook.apiKey(), webhook.requestId(), webhook.payload()));
    } catch (IOException e) {
      error = Optional.of(String.valueOf(e));
    } catch (WebhookPost.RefusedWebhookTarget e) {
      log.warn("webhook not sent requestId={}: {}", webhook.requestId(), e.getMessage());
      record(webhook, new WebhookAttempt(attempt, at, status, Optional.of("not sent: " + e.getMessage())),
          Optional.empty(), "REFUSED");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    boolean again = status.isEmpty() || WebhookRetry.retryable(status.getAsInt());
    Optional<Instant> next = again && attempt < WebhookRetry.ATTEMPTS
        ? Optional.of(clock.instant().plus(retry.delayAfter(attempt, jitter.nextDouble(-1, 1))))
        : Optional.empty();
    String finalState = again ? "GAVE_UP" : status.getAsInt() < 300 ? "DELIVERED" : "REFUSED";
    if (!record(webhook, new WebhookAttempt(attempt, at, status, error), next, finalState)) {
      return;
    }
    String outcome = next.isPresent() ? "retrying at " + next.get() : finalState;
    if (finalState.equals("DELIVERED")) {
      log.info("webhook delivered requestId={} status={} attempts={}", webhook.requestId(), status.getAsInt(), attempt);
    } else {
      log.warn("webhook attempt requestId={} attempt={} of={} status={} error={}: {}", webhook.requestId(), attempt,
          WebhookRetry.ATTEMPTS, status.isPresent() ? status.getAsInt() : "none", error.orElse(""), outcome);
    }
  }

  private boolean record(DueWebhook webhook, WebhookAttempt attempt, Optional<Instant> next, String finalState) {
    boolean recorded = outbox.record(webhook, attempt, next, finalState);
    if (!recorded) {
      log.warn("webhook attempt not recorded, its lease ran out requestId={} attempt={}", webhook.requestId(),
          attempt.attempt());
    }
    return recorded;
  }

  /** Stops: attempts in progress are abandoned, and their leases let another replica make them. */
  @Override
  public void close() {
    ticker.shutdownNow();
    attempts.shutdownNow();
  }
}
