package dev.kiln.gateway.server;

import dev.kiln.gateway.queue.QueueDepth;
import dev.kiln.gateway.routing.ModelKey;

/**
 * How much one model is asked for at the gateway, as {@code GET /stats} reports it.
 *
 * @param arrived requests submitted since the gateway started (a counter)
 * @param inFlight requests running on its workers now
 * @param queued requests waiting for a worker now, by lane (a request retried after a worker
 *     refused its connection waits in the normal lane)
 * @param replicas the workers it is routed to now
 */
public record ModelDemand(ModelKey model, long arrived, int inFlight, QueueDepth queued, int replicas) {}
