package dev.kiln.operator.scaling;

import dev.kiln.operator.scaling.SignalSource.ServingWorker;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler as the operator runs it: each pool's workers are read at most once per half sample
 * interval however many of its models reconcile, and every model of the pool is decided on each
 * reading. Each model's history lives in memory only: a restarted operator holds the current
 * replicas until it has a stable window of signals again.
 */
public final class PoolAutoscaler {

  private static final Logger log = LoggerFactory.getLogger(PoolAutoscaler.class);

  private final ScalingSettings settings;
  private final Autoscaler autoscaler;
  private final SignalSource source;
  private final Map<String, PoolState> pools = new ConcurrentHashMap<>();

  public PoolAutoscaler(ScalingSettings settings, SignalSource source) {
    this.settings = settings;
    this.autoscaler = new Autoscaler(settings);
    this.source = source;
  }

  public ScalingSettings settings() {
    return settings;
  }

  /** One pool's models' states and latest decisions. */
  private static final class PoolState {
    private final Map<String, ScalingState> states = new HashMap<>();
    private final Map<String, Decision> decisions = new HashMap<>();
    private Instant decidedAt;
  }

  /**
   * The decision for each of the pool's {@code models}, reading {@code workers} (the pool's Ready
   * workers) unless they were read less than half a sample interval ago.
   *
   * @param pool the pool's key, e.g. {@code namespace/name}
   */
  public Map<String, Decision> decide(String pool, List<ServingWorker> workers, List<ScaledModel> models, Instant now) {
    if (models.isEmpty()) {
      pools.remove(pool);
      return Map.of();
    }
    PoolState state = pools.computeIfAbsent(pool, key -> new PoolState());
    synchronized (state) {
      boolean fresh = state.decidedAt != null && now.isBefore(state.decidedAt.plus(settings.sampleInterval().dividedBy(2)))
          && models.stream().allMatch(model -> state.decisions.containsKey(model.name()));
      if (!fresh) {
        decideAll(pool, state, workers, models, now);
      }
      return models.stream().collect(Collectors.toMap(ScaledModel::name, model -> state.decisions.get(model.name())));
    }
  }

  private void decideAll(String pool, PoolState state, List<ServingWorker> workers, List<ScaledModel> models, Instant now) {
    Map<String, SignalSample> samples = source.read(workers, now);
    for (ScaledModel model : models) {
      SignalSample read = samples.getOrDefault(model.name(), new SignalSample(now, Map.of(), Map.of()));
      var unread = new HashMap<>(read.unread());
      unread.putAll(model.unreachable());
      ScalingState observed = state.states.getOrDefault(model.name(), ScalingState.initial())
          .observe(new SignalSample(now, read.workers(), unread), settings);
      Autoscaler.Step step = autoscaler.decide(observed, model.bounds(), model.currentReplicas(), now);
      Optional<Decision> before = Optional.ofNullable(state.decisions.get(model.name()));
      if (before.map(Decision::replicas).orElse(-1) != step.decision().replicas()) {
        log.info("model scaled pool={} model={} replicas={} reason=\"{}\"", pool, model.name(), step.decision().replicas(),
            step.decision().reason());
      }
      state.states.put(model.name(), step.state());
      state.decisions.put(model.name(), step.decision());
    }
    var names = models.stream().map(ScaledModel::name).collect(Collectors.toSet());
    state.states.keySet().retainAll(names);
    state.decisions.keySet().retainAll(names);
    state.decidedAt = now;
  }
}
