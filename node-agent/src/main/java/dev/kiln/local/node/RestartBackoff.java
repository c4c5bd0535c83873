package dev.kiln.local.node;

import java.time.Duration;

/**
 * The delay before a crashed container is started again: none for the first restart, then
 * doubling from {@code initial} up to {@code max}, back to none after a container ran for
 * longer than {@code 2 * max}. Shorter than the kubelet's 10 s to 5 min so tests stay quick.
 */
record RestartBackoff(Duration initial, Duration max) {

  static final RestartBackoff DEFAULT = new RestartBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));

  Duration next(Duration previous, Duration ranFor) {
    if (previous == null || ranFor.compareTo(max.multipliedBy(2)) > 0) {
      return Duration.ZERO;
    }
    if (previous.isZero()) {
      return initial;
    }
    Duration doubled = previous.multipliedBy(2);
    return doubled.compareTo(max) > 0 ? max : doubled;
  }
}
