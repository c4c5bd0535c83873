package dev.kiln.gateway.queue;

/** What a {@link RequestStore} knows of a request id. */
public sealed interface Lookup {

  /** The request is known; here is its latest snapshot. */
  record Found(RequestRecord request) implements Lookup {}

  /** The request completed and was forgotten after the retention; the server answers 404 saying so. */
  record Expired(String requestId) implements Lookup {}

  /** No such request (or it expired so long ago that the store no longer remembers it). */
  record NotFound(String requestId) implements Lookup {}
}
