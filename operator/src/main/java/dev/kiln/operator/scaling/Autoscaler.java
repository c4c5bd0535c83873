package dev.kiln.operator.scaling;

import dev.kiln.operator.scaling.Decision.Load;
import dev.kiln.operator.scaling.ScalingState.Recommendation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;

/**
 * Replicas per model from its load, after Knative's pod autoscaler; pure: time and signals are
 * inputs.
 *
 * <p>By Little's law the requests a model runs at once are its arrival rate × mean service time
 * ({@link LoadWindow#concurrency()}); it wants {@code ceil(concurrency / targetConcurrency)}
 * replicas. Normally the average over the stable window decides. When the short panic window asks
 * for {@link ScalingSettings#panicThreshold} times the current replicas or more, the model panics
 * for a stable window: it scales up to what the panic window asks at once and never down. Replicas
 * go down only once every recommendation over the scale-down delay is lower, so a one-off spike
 * does not make them flap.
 *
 * <p>Signals that are missing, late, stale or cover less than the stable window never scale a
 * model down: the previous decision holds, and its reason says why. Late or partial signals (some
 * workers unread) may still scale it up, since the load they show is a lower bound; stale ones
 * (older than {@link ScalingSettings#staleAfter()}) are not used at all; the same holds for a
 * gateway that could not be read.
 *
 * <p>A model with no replica and requests waiting for it (queued at a gateway) gets at least one at
 * once, whatever its windows average: those requests wait until a replica is warm.
 */
public final class Autoscaler {

  /** Absorbs rounding in the rates, so that exactly two replicas' worth of load asks for two. */
  private static final double EPSILON = 1e-9;

  private final ScalingSettings settings;

  public Autoscaler(ScalingSettings settings) {
    this.settings = settings;
  }

  /** A decision and the state to pass to the next one. */
  public record Step(ScalingState state, Decision decision) {}

  /**
   * Decides the model's replicas at {@code now}.
   *
   * @param currentReplicas the replicas that serve the model now, against which a panic is judged;
   *     also the decision to hold when there is no previous one
   */
  public Step decide(ScalingState state, ScaleBounds bounds, int currentReplicas, Instant now) {
    int held = bounds.clamp(state.last().map(Decision::replicas).orElse(currentReplicas));
    SignalSeries series = state.series();
    Optional<Instant> latest = series.latest();
    if (latest.isEmpty() || Duration.between(latest.get(), now).compareTo(settings.staleAfter()) > 0) {
      String why = latest.map(at -> "no signal for " + Duration.between(at, now).toSeconds() + "s").orElse("no signal yet");
      return record(state, bounds, held, held, Optional.of(why), "", Optional.empty(), state.panicTriggered(), now);
    }

    LoadWindow stable = series.window(now, settings.stableWindow());
    LoadWindow panic = series.window(now, settings.panicWindow());
    int stableWants = replicasFor(stable.concurrency(), bounds);
    int panicWants = replicasFor(panic.concurrency(), bounds);
    Optional<Instant> panicTriggered = panicWants >= settings.panicThreshold() * Math.max(1, currentReplicas)
        ? Optional.of(now)
        : state.panicTriggered().filter(at -> ScalingState.within(at, now, settings.stableWindow()));
    boolean panicking = panicTriggered.isPresent();
    int recommended = panicking ? Math.max(Math.max(panicWants, stableWants), held) : stableWants;
    Optional<Load> load = Optional.of(new Load(stable.concurrency(), stable.requestRate(), stable.queueDepth()));

    LoadWindow used = panicking ? panic : stable;
    String basis = String.format(Locale.ROOT, "concurrency %.2f over the last %ds%s", used.concurrency(),
        (panicking ? settings.panicWindow() : settings.stableWindow()).toSeconds(), panicking ? " (panic)" : "");
    int waiting = series.latestInFlight();
    if (currentReplicas == 0 && waiting > 0) {
      recommended = Math.max(recommended, 1);
      basis = "%s with no replica, %s".formatted(waiting == 1 ? "1 request waits" : waiting + " requests wait", basis);
    }
    Optional<String> blind = late(latest.get(), now)
        .or(() -> series.missingWorkers(now))
        .or(series::missingGateways)
        .or(() -> shortHistory(series, now));
    if (blind.isPresent() && bounds.clamp(recommended) < held) {
      return record(state, bounds, held, held, blind, basis, load, panicTriggered, now);
    }
    return record(state, bounds, held, recommended, Optional.empty(), basis, load, panicTriggered, now);
  }

  /**
   * Adds {@code recommended} to the recommendations of the scale-down delay and decides the
   * largest of them, within bounds.
   */
  private Step record(ScalingState state, ScaleBounds bounds, int held, int recommended, Optional<String> holdReason,
      String basis, Optional<Load> load, Optional<Instant> panicTriggered, Instant now) {
    var recent = new ArrayList<Recommendation>();
    state.recommendations().stream()
        .filter(past -> ScalingState.within(past.at(), now, settings.scaleDownDelay()))
        .forEach(recent::add);
    recent.add(new Recommendation(now, recommended));
    int desired = bounds.clamp(recent.stream().mapToInt(Recommendation::replicas).max().orElseThrow());
    String reason;
    if (desired > held) {
      reason = "scaling up from %d to %d: %s".formatted(held, desired, basis);
    } else if (holdReason.isPresent()) {
      reason = "holding %d: %s".formatted(held, holdReason.get());
    } else if (desired < held) {
      reason = "scaling down from %d to %d: %s".formatted(held, desired, basis);
    } else if (bounds.clamp(recommended) < held) {
      reason = "holding %d for the scale-down delay: %s asks for %d".formatted(held, basis, bounds.clamp(recommended));
    } else {
      reason = "steady at %d: %s".formatted(held, basis);
    }
    Decision decision = new Decision(desired, reason, load, state.series().lastDemand());
    return new Step(state.decided(decision, panicTriggered, recent), decision);
  }

  /** A sample not read at {@code now} (within a sample interval) shows the past: enough to scale up, not down. */
  private Optional<String> late(Instant latest, Instant now) {
    Duration age = Duration.between(latest, now);
    return age.compareTo(settings.sampleInterval()) < 0 ? Optional.empty() : Optional.of("no signal for " + age.toSeconds() + "s");
  }

  private Optional<String> shortHistory(SignalSeries series, Instant now) {
    Duration history = Duration.between(series.since().orElse(now), now);
    if (history.compareTo(settings.stableWindow()) >= 0) {
      return Optional.empty();
    }
    return Optional.of("only %ds of signal, a scale-down needs %ds".formatted(history.toSeconds(),
        settings.stableWindow().toSeconds()));
  }

  private static int replicasFor(double concurrency, ScaleBounds bounds) {
    return (int) Math.ceil(concurrency / bounds.targetConcurrency() - EPSILON);
  }
}
