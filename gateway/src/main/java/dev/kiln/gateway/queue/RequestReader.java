package dev.kiln.gateway.queue;

import java.time.Duration;

/** Reads requests for the queue API's status, status stream and result. */
public interface RequestReader {

  /** The request's latest snapshot, or whether it expired or never existed. */
  Lookup lookup(String requestId);

  /**
   * Waits up to {@code timeout} for the request to change past {@code afterVersion}.
   *
   * @return the lookup at that moment: a newer snapshot, the same one on timeout, or expired / not found
   * @throws InterruptedException when the waiting thread is interrupted
   */
  Lookup awaitChange(String requestId, long afterVersion, Duration timeout) throws InterruptedException;
}
