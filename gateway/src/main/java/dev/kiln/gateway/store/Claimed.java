package dev.kiln.gateway.store;

import dev.kiln.gateway.queue.Submission;

/**
 * A queued request this replica now holds the lease of, to run.
 *
 * @param claims how many times it has been claimed, this time included: more than 1 after a replica that held it
 *     stopped
 */
public record Claimed(Submission submission, int claims) {}
