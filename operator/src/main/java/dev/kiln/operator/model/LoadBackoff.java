package dev.kiln.operator.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces out the retries of a model version whose loads fail: after the n-th failure in a row no
 * load is tried for {@code base * 2^(n-1)}, at most {@code max}. Worker pod changes wake the
 * reconciler often; without this every wake-up would retry a load that a worker just refused, and
 * add an Event. Keyed by model UID and version, so a fixed spec is tried at once. Held in memory:
 * a restarted operator simply tries again.
 */
public final class LoadBackoff {

  private final Duration base;
  private final Duration max;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  private record State(int failures, Instant notBefore, LoadFailure failure) {}

  public LoadBackoff(Duration base, Duration max) {
    this.base = base;
    this.max = max;
  }

  /** The wait after {@code failures} failures in a row (at least one). */
  Duration delay(int failures) {
    int doublings = Math.min(failures - 1, 30);
    Duration delay = base.multipliedBy(1L << doublings);
    return delay.compareTo(max) > 0 ? max : delay;
  }

  /** The failure being waited out, if loads of {@code key} must not be tried yet at {@code now}. */
  public Optional<LoadFailure> waiting(String key, Instant now) {
    State state = states.get(key);
    return state != null && now.isBefore(state.notBefore()) ? Optional.of(state.failure()) : Optional.empty();
  }

  /** How long loads of {@code key} must still wait at {@code now}; zero when they may be tried. */
  public Duration remaining(String key, Instant now) {
    State state = states.get(key);
    return state == null || !now.isBefore(state.notBefore()) ? Duration.ZERO : Duration.between(now, state.notBefore());
  }

  /** Records a failed attempt and returns how long to wait before the next. */
  public Duration failed(String key, LoadFailure failure, Instant now) {
    State state = states.merge(key, new State(1, now.plus(delay(1)), failure),
        (old, first) -> new State(old.failures() + 1, now.plus(delay(old.failures() + 1)), failure));
    return Duration.between(now, state.notBefore());
  }

  /** The loads of {@code key} succeeded: the next failure waits {@code base} again. */
  public void succeeded(String key) {
    states.remove(key);
  }
}
