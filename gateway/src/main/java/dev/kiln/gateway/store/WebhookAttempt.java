package dev.kiln.gateway.store;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One attempt to deliver a webhook, as the delivery log lists it.
 *
 * @param status the receiver's status code, when it answered
 * @param error why it could not be reached, or why the gateway did not send it
 */
public record WebhookAttempt(int attempt, Instant at, OptionalInt status, Optional<String> error) {}
