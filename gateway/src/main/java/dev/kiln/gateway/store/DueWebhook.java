package dev.kiln.gateway.store;

import java.net.URI;

/**
 * A webhook this replica now holds the lease of, to attempt once.
 *
 * @param apiKey the id of the key that submitted the request, signed into the webhook as its user
 * @param attempts the attempts made before this one
 */
public record DueWebhook(String requestId, URI url, String apiKey, byte[] payload, int attempts) {}
