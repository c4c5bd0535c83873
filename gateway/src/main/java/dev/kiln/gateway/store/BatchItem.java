package dev.kiln.gateway.store;

import dev.kiln.gateway.queue.RequestState;

/**
 * One request of a batch, as the batch status lists it.
 *
 * @param succeeded once completed: whether it completed with the model's output and a status below 400
 */
public record BatchItem(String requestId, RequestState state, boolean succeeded) {}
