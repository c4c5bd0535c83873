package dev.kiln.gateway.store;

import java.util.List;

/**
 * What {@link DurableQueue#renewLeases} found.
 *
 * @param held the requests this replica still holds, their leases extended
 * @param cancelRequested those of them whose callers asked to cancel them
 */
public record LeaseRenewal(List<String> held, List<String> cancelRequested) {

  public LeaseRenewal {
    held = List.copyOf(held);
    cancelRequested = List.copyOf(cancelRequested);
  }
}
