package dev.kiln.gateway.routing;

/** What the {@link Router} decided for one request. */
public sealed interface Route {

  /** Send the request to {@code lease.worker()}; close the lease when the request is done. */
  record Assigned(Lease lease) implements Route {}

  /** Every available replica is at capacity: queue the request until a lease closes. */
  record Full() implements Route {}

  /**
   * No replica can take requests: the model is not resident on a ready worker (yet), or every
   * worker holding it was ejected. Queue the request; the routing table will change.
   */
  record NoReplica() implements Route {}
}
