package dev.kiln.gateway.queue;

/** The answer to a cancel request, named after fal's cancel response {@code status}. */
public enum CancelOutcome {
  /** 202: the request was queued or running and is now marked for cancellation. */
  CANCELLATION_REQUESTED,
  /** 400: the request has already completed. */
  ALREADY_COMPLETED,
  /** 404: no such request (or it expired). */
  NOT_FOUND
}
