package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPoolSpec;
import dev.kiln.crds.gpupool.GpuPoolStatus;
import dev.kiln.crds.status.ConditionReason;
import dev.kiln.crds.status.ConditionType;
import dev.kiln.crds.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * When a pool's surplus workers may go: only once it has had more workers than it needs
 * continuously for its {@code scaleDownDelay}; a surplus that ends sooner restarts the clock, and
 * then the whole surplus of that moment goes. Growing is never delayed, and workers beyond
 * {@code workers.max} go at once: a lowered maximum is an order, not demand that may come back.
 *
 * <p>The start of the surplus lives in the cluster, not in the operator's memory: it is the
 * {@code lastTransitionTime} of the pool's {@code Scaling} condition while its reason is
 * {@code ScaleDownPending}, so that a restarted or newly elected operator continues the same clock.
 */
final class ScaleDownDelay {

  /** The CRD's default for {@code scaleDownDelay}, for a pool read before the API server filled it in. */
  static final Duration DEFAULT = Duration.ofMinutes(5);

  /**
   * Surplus workers kept while the delay runs.
   *
   * @param surplus how many workers the pool has beyond what it needs
   * @param since when the surplus began, to the second
   * @param removeAt when it goes unless demand returns first
   */
  record Pending(int surplus, Instant since, Instant removeAt) {

    /** Time left until {@link #removeAt}, never negative. */
    Duration remaining(Instant now) {
      return now.isBefore(removeAt) ? Duration.between(now, removeAt) : Duration.ZERO;
    }
  }

  /**
   * @param workers the worker count to scale to now: what the pool needs, plus the surplus kept
   *     while the delay runs
   * @param pending the surplus kept, if any
   */
  record Decision(int workers, Optional<Pending> pending) {}

  private ScaleDownDelay() {}

  /**
   * @param active the pool's live workers that are not draining
   * @param desired the workers the pool needs ({@link WorkerCount#desired}), at most {@code max}
   * @param max the pool's {@code workers.max}
   * @param since when the pool's current surplus began, as recorded by {@link #since(GpuPoolStatus)}
   */
  static Decision decide(int active, int desired, int max, Optional<Instant> since, Duration delay, Instant now) {
    int surplus = Math.min(active, max) - desired;
    if (surplus <= 0) {
      return new Decision(desired, Optional.empty());
    }
    Instant start = since.orElseGet(() -> now.truncatedTo(ChronoUnit.SECONDS));
    Instant removeAt = start.plus(delay);
    if (!now.isBefore(removeAt)) {
      return new Decision(desired, Optional.empty());
    }
    return new Decision(desired + surplus, Optional.of(new Pending(surplus, start, removeAt)));
  }

  /** The pool's {@code scaleDownDelay}, or {@link #DEFAULT} when it has none. */
  static Duration of(GpuPoolSpec spec) {
    return spec.getScaleDownDelay() == null ? DEFAULT : DurationText.parse(spec.getScaleDownDelay());
  }

  /** When the surplus that {@code status} reports as pending began; empty when it reports none. */
  static Optional<Instant> since(GpuPoolStatus status) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream()
        .filter(c -> ConditionType.SCALING.type().equals(c.getType()) && "True".equals(c.getStatus())
            && ConditionReason.SCALE_DOWN_PENDING.reason().equals(c.getReason()) && c.getLastTransitionTime() != null)
        .findFirst()
        .map(c -> Instant.parse(c.getLastTransitionTime()));
  }
}
