package dev.kiln.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a request's webhook stands, for its status.
 *
 * @param state {@code PENDING}, {@code DELIVERED}, {@code REFUSED} (the receiver answered 3xx or 4xx) or
 *     {@code GAVE_UP} (every attempt failed)
 * @param nextAttemptAt when the next attempt is due, while pending
 */
public record WebhookLog(String url, String state, List<WebhookAttempt> attempts, Optional<Instant> nextAttemptAt) {

  public WebhookLog {
    attempts = List.copyOf(attempts);
  }
}
