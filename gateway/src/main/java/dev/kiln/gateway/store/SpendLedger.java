package dev.kiln.gateway.store;

import dev.kiln.gateway.auth.SpendLimit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * Keys' spend against their caps. A request of a capped key is admitted while the key's spend in the period plus what
 * its requests in flight are expected to cost stays below the cap, and reserves its own expected cost until it
 * completes; so the cap is passed by at most what requests cost beyond their estimates.
 */
public interface SpendLedger {

  /** Admits {@code requestId} against {@code limit}, reserving {@code estimate}, or refuses it. */
  SpendCheck reserve(String requestId, String apiKey, SpendLimit limit, BigDecimal estimate);

  /** Records what a request that ran cost, and frees its reservation. */
  void settle(Usage usage);

  /** Frees the reservation of a request that completed without running. */
  void release(String requestId);

  /**
   * Frees the reservations of runs made longer than {@code age} ago that never completed: their replica stopped.
   *
   * @return how many
   */
  int releaseAbandonedRuns(Duration age);

  /** What {@code apiKey}'s completed requests cost in the period of {@code limit} that {@code at} falls in. */
  BigDecimal spent(String apiKey, SpendLimit limit, Instant at);
}
