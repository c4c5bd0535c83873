package dev.kiln.operator.scaling;

import java.time.Instant;
import java.util.Map;

/**
 * A model under a scripted load, sampled every {@link ScalingSettings#sampleInterval()} and
 * decided on by an {@link Autoscaler}. Each tick the model's workers finish {@code rate} requests a
 * second that take {@code serviceMillis} each, with {@code floor(rate × service time)} in flight.
 * Its current replicas follow the decisions unless fixed.
 */
final class SimulatedModel {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final ScalingSettings settings;
  private final Autoscaler autoscaler;
  private final ScaleBounds bounds;
  private final Integer fixedReplicas;
  private ScalingState state = ScalingState.initial();
  private Instant now = START;
  private long finished;
  private long busyNanos;
  private int current;
  private Decision last;

  SimulatedModel(ScalingSettings settings, ScaleBounds bounds, int currentReplicas, boolean fixedReplicas) {
    this.settings = settings;
    this.autoscaler = new Autoscaler(settings);
    this.bounds = bounds;
    this.current = currentReplicas;
    this.fixedReplicas = fixedReplicas ? currentReplicas : null;
  }

  SimulatedModel(ScaleBounds bounds, int currentReplicas) {
    this(ScalingSettings.defaults(), bounds, currentReplicas, false);
  }

  /** One interval of load read from worker {@code w-0}. */
  Decision load(double rate, long serviceMillis) {
    advance(rate, serviceMillis);
    return observe(Map.of("w-0", signal(rate, serviceMillis)), Map.of());
  }

  /** One interval of load of which worker {@code w-1} could not be read. */
  Decision loadWithUnreadWorker(double rate, long serviceMillis) {
    advance(rate, serviceMillis);
    return observe(Map.of("w-0", signal(rate, serviceMillis)), Map.of("w-1", "connection refused"));
  }

  /** One interval of load after which worker {@code w-0}'s runtime restarted, its counters from zero. */
  Decision loadAfterRestart(double rate, long serviceMillis) {
    finished = 0;
    busyNanos = 0;
    return load(rate, serviceMillis);
  }

  /** One interval in which nothing was read. */
  Decision silence() {
    now = now.plus(settings.sampleInterval());
    return decide();
  }

  /** {@code ticks} intervals of the same load; the last decision. */
  Decision load(double rate, long serviceMillis, int ticks) {
    Decision decision = last;
    for (int i = 0; i < ticks; i++) {
      decision = load(rate, serviceMillis);
    }
    return decision;
  }

  Instant now() {
    return now;
  }

  private void advance(double rate, long serviceMillis) {
    now = now.plus(settings.sampleInterval());
    long requests = Math.round(rate * settings.sampleInterval().toMillis() / 1000.0);
    finished += requests;
    busyNanos += requests * serviceMillis * 1_000_000;
  }

  private WorkerSignal signal(double rate, long serviceMillis) {
    return new WorkerSignal((int) Math.floor(rate * serviceMillis / 1000.0), 0, finished, busyNanos);
  }

  private Decision observe(Map<String, WorkerSignal> workers, Map<String, String> unread) {
    state = state.observe(new SignalSample(now, workers, unread), settings);
    return decide();
  }

  private Decision decide() {
    Autoscaler.Step step = autoscaler.decide(state, bounds, current, now);
    state = step.state();
    last = step.decision();
    current = fixedReplicas != null ? fixedReplicas : last.replicas();
    return last;
  }
}
