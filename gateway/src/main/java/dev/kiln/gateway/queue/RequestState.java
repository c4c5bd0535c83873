package dev.kiln.gateway.queue;

/** The only three states fal clients understand; failed and cancelled requests are {@link #COMPLETED} with an error. */
public enum RequestState {
  IN_QUEUE,
  IN_PROGRESS,
  COMPLETED
}
