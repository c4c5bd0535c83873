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
 * reading. The gateways are read at most once per half sample interval for all pools, and each
 * model's demand there joins its workers' signals. Each model's history lives in memory only: a restarted operator holds the current
 * replicas until it has a stable window of signals again.
 */
public final class PoolAutoscaler {

  private static final Logger log = LoggerFactory.getLogger(PoolAutoscaler.class);

  private final ScalingSettings settings;
  private final Autoscaler autoscaler;
  private final SignalSource source;
  private final GatewaySource gateways;
  private final Map<String, PoolState> pools = new ConcurrentHashMap<>();
  private GatewaySource.Reading gatewayReading;
  private Instant gatewaysReadAt;

  /** Reading workers only, as where no gateway runs. */
  public PoolAutoscaler(ScalingSettings settings, SignalSource source) {
    this(settings, source, GatewaySource.NONE);
  }

  public PoolAutoscaler(ScalingSettings settings, SignalSource source, GatewaySource gateways) {
    this.settings = settings;
    this.autoscaler = new Autoscaler(settings);
    this.source = source;
    this.gateways = gateways;
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
   * @param namespace the namespace of the pool and its models
   */
  public Map<String, Decision> decide(String namespace, String pool, List<ServingWorker> workers, List<ScaledModel> models,
      Instant now) {
    String key = namespace + "/" + pool;
    if (models.isEmpty()) {
      pools.remove(key);
      return Map.of();
    }
    PoolState state = pools.computeIfAbsent(key, k -> new PoolState());
    synchronized (state) {
      boolean fresh = state.decidedAt != null && now.isBefore(state.decidedAt.plus(settings.sampleInterval().dividedBy(2)))
          && models.stream().allMatch(model -> state.decisions.containsKey(model.name()));
      if (!fresh) {
        decideAll(namespace, key, state, workers, models, now);
      }
      return models.stream().collect(Collectors.toMap(ScaledModel::name, model -> state.decisions.get(model.name())));
    }
  }

  private void decideAll(String namespace, String pool, PoolState state, List<ServingWorker> workers,
      List<ScaledModel> models, Instant now) {
    Map<String, SignalSample> samples = source.read(workers, now);
    GatewaySource.Reading atGateways = gateways(now);
    for (ScaledModel model : models) {
      SignalSample read = samples.getOrDefault(model.name(), new SignalSample(now, Map.of(), Map.of()));
      var unread = new HashMap<>(read.unread());
      unread.putAll(model.unreachable());
      var sample = new SignalSample(now, read.workers(), unread, atGateways.of(namespace, model.name()), atGateways.unread());
      ScalingState observed = state.states.getOrDefault(model.name(), ScalingState.initial()).observe(sample, settings);
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

  /** The gateways' latest reading, read again when it is half a sample interval old. */
  private synchronized GatewaySource.Reading gateways(Instant now) {
    if (gatewaysReadAt == null || !now.isBefore(gatewaysReadAt.plus(settings.sampleInterval().dividedBy(2)))) {
      gatewayReading = gateways.read(now);
      gatewaysReadAt = now;
    }
    return gatewayReading;
  }
}
