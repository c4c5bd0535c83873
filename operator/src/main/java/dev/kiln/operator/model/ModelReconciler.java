package dev.kiln.operator.model;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelStatus;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.operator.pool.PoolLabels;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.residency.ModelDemand;
import dev.kiln.operator.residency.ModelOutcome;
import dev.kiln.operator.residency.Plan;
import dev.kiln.operator.residency.PlanInput;
import dev.kiln.operator.residency.ResidencyPlanner;
import dev.kiln.operator.runtime.GatewayStatsClient;
import dev.kiln.operator.runtime.LoadRequest;
import dev.kiln.operator.runtime.LoadedModel;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.operator.runtime.WorkerAdminException;
import dev.kiln.operator.scaling.Decision;
import dev.kiln.operator.scaling.GatewayStatsSignals;
import dev.kiln.operator.scaling.PoolAutoscaler;
import dev.kiln.operator.scaling.ScalingSettings;
import dev.kiln.operator.scaling.WorkerStatsSignals;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow 1 of the design: makes a Model resident on the workers the residency planner picks.
 *
 * <p>The planner decides for a whole pool at once, so each reconcile plans the model's entire pool
 * from the observed state (worker pods and their {@code resident-models}, every Model of the pool)
 * and then applies only this model's part: its entry in each worker's {@code desired-models}, a
 * load through the worker's admin API where it is desired but not resident at this version (then
 * its {@code resident-models} entry), an unload where it is resident but no longer desired. The
 * planner is deterministic, so the reconciles of a pool's models agree on one placement and each
 * carries out its own share. Worker pod changes wake every Model of the pod's pool, so a
 * replacement worker gets its Hot models loaded.
 *
 * <p>A deleted Model is unloaded from every worker and removed from both annotations before its
 * finalizer goes, so no worker keeps memory for a model nothing routes to.
 *
 * <p>Failed loads show as a condition with the runtime's reason, a LoadFailed Event and a retry
 * after a growing delay ({@link LoadBackoff}). A source's bearer token is read from the Model's
 * credentials Secret when a load is due ({@link SourceCredentials}); while it is missing, no load is
 * sent and the model fails the same way, so the retry after the Secret appears loads it.
 *
 * <p>Each model asks the planner for the replicas the {@link PoolAutoscaler} decides from its
 * workers' signals and the requests waiting for it at the gateways ({@link GatewayPods}), so every
 * Model is reconciled again each sample interval; the decision, its reason, the request rate and
 * the queue depth go into the status, where the pool reconciler reads the desired replicas to size
 * the pool. A change of the desired replicas shows as a ScaledUp or
 * ScaledDown Event.
 *
 * <p>Cold starts and scale changes are measured on the registry given ({@link ModelMetrics}).
 */
@ControllerConfiguration(name = ModelReconciler.NAME)
public class ModelReconciler implements Reconciler<Model>, Cleaner<Model> {

  public static final String NAME = "model";

  private static final Logger log = LoggerFactory.getLogger(ModelReconciler.class);
  private static final Duration UNLOAD_RETRY = Duration.ofSeconds(5);
  /** How soon a reconcile looks again at a load that is running. */
  private static final Duration LOAD_POLL = Duration.ofSeconds(1);
  /** A worker's stats are read each sample interval; a slower answer counts as no signal. */
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(1);
  /** How long the gateways get to route by a new version before the old one is unloaded under it. */
  static final Duration PROMOTE_GRACE = Duration.ofSeconds(2);

  private final WorkerAdminClient workers;
  private final LoadBackoff backoff;
  private final ResidencyChecks checks = new ResidencyChecks();
  private final LoadsInFlight loads = new LoadsInFlight();
  /**
   * When each model (by UID) last finished a load here. The status holds it too, but a reconcile
   * woken by a pod event may see a cached Model from before the status patch that recorded it.
   */
  private final Map<String, Instant> lastLoads = new ConcurrentHashMap<>();
  /** The most GPU memory a load of each model (by UID) measured here, for the same reason. */
  private final Map<String, Long> measuredMemory = new ConcurrentHashMap<>();
  /** When each model (by UID) was last seen in demand here, for the same reason. */
  private final Map<String, Instant> lastRequests = new ConcurrentHashMap<>();
  /**
   * The desired replicas last decided here, by model UID, to tell a change: the cached status may
   * not show the last decision yet.
   */
  private final Map<String, Integer> lastDesired = new ConcurrentHashMap<>();
  /**
   * The version requests go to, by model UID, as last decided here, and when it last changed: the
   * cached status may not show the decision yet, and staged copies are promoted only once the
   * gateways have had {@link #PROMOTE_GRACE} to route by it.
   */
  private final Map<String, String> servingVersions = new ConcurrentHashMap<>();
  private final Map<String, Instant> switches = new ConcurrentHashMap<>();
  /**
   * The worker, by model UID, where a model's old version is being replaced in place because the
   * new one does not fit beside it: one worker at a time.
   */
  private final Map<String, InPlace> inPlace = new ConcurrentHashMap<>();
  /** The versions, by model UID and version, whose paused rollout an Event has told. */
  private final Set<String> pausedRollouts = ConcurrentHashMap.newKeySet();
  private final PoolAutoscaler scaling;
  private final ModelMetrics metrics;
  private final Clock clock;

  /**
   * With an autoscaler that reads each worker's and each of {@code gateways}' {@code /stats} as
   * {@code settings} say.
   */
  public ModelReconciler(ScalingSettings settings, GatewayPods gateways, MeterRegistry registry) {
    this(new PoolAutoscaler(settings, new WorkerStatsSignals(new WorkerAdminClient(STATS_TIMEOUT, STATS_TIMEOUT)),
        new GatewayStatsSignals(gateways, new GatewayStatsClient(STATS_TIMEOUT))), registry);
  }

  public ModelReconciler(PoolAutoscaler scaling, MeterRegistry registry) {
    this(WorkerAdminClient.withDefaults(), new LoadBackoff(Duration.ofSeconds(5), Duration.ofMinutes(5)), scaling,
        new ModelMetrics(registry), Clock.systemUTC());
  }

  ModelReconciler(WorkerAdminClient workers, LoadBackoff backoff, PoolAutoscaler scaling, ModelMetrics metrics, Clock clock) {
    this.workers = workers;
    this.backoff = backoff;
    this.scaling = scaling;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Model>> prepareEventSources(EventSourceContext<Model> context) {
    return List.of(new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, Model.class)
            .withLabelSelector(PoolLabels.MANAGED_BY_KILN)
            .withSecondaryToPrimaryMapper(pod -> modelsOfPool(context.getPrimaryCache().list(),
                pod.getMetadata().getNamespace(), pod.getMetadata().getLabels().get(PoolLabels.POOL)))
            .withNamespacesInheritedFromController()
            .build(),
        context));
  }

  private static Set<ResourceID> modelsOfPool(Stream<Model> models, String namespace, String pool) {
    return models
        .filter(model -> namespace.equals(model.getMetadata().getNamespace()) && Objects.equals(pool, model.getSpec().getPool()))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<Model> reconcile(Model model, Context<Model> context) {
    String namespace = model.getMetadata().getNamespace();
    String name = model.getMetadata().getName();
    String poolName = model.getSpec().getPool();
    String version = ModelVersion.of(model.getSpec());

    GpuPool pool = context.getClient().resources(GpuPool.class).inNamespace(namespace).withName(poolName).get();
    if (pool == null) {
      return statusUpdate(model, new ObservedResidency(false, version, 0, List.of(), 0, 0, Map.of(), Optional.empty(),
          Optional.empty(), lastLoadTime(model), lastRequest(model).toString(), measuredMemory(model)),
          Optional.empty(), Optional.empty());
    }
    List<Pod> pods = poolPods(context, namespace, poolName);
    checks.retain(name, pods);
    loads.retain(model.getMetadata().getUid(), pods.stream().map(pod -> pod.getMetadata().getUid()).collect(Collectors.toSet()));
    inPlace.computeIfPresent(model.getMetadata().getUid(), (uid, replacing) -> pods.stream()
        .anyMatch(pod -> pod.getMetadata().getUid().equals(replacing.podUid())) ? replacing : null);
    List<Model> models = context.getPrimaryCache()
        .list(m -> namespace.equals(m.getMetadata().getNamespace()) && poolName.equals(m.getSpec().getPool())
            && m.getMetadata().getDeletionTimestamp() == null)
        .toList();
    Instant now = clock.instant();
    Map<String, Decision> decisions = scaling.decide(namespace, poolName, ScalingInputs.workers(pods),
        ScalingInputs.models(models, pods, idle(models, now)), now);
    models.forEach(m -> Optional.ofNullable(decisions.get(m.getMetadata().getName()))
        .flatMap(Decision::lastDemand)
        .ifPresent(seen -> lastRequests.merge(m.getMetadata().getUid(), seen.truncatedTo(ChronoUnit.SECONDS),
            ModelReconciler::later)));
    // Again with the demand just seen: a request waiting for an idle model makes it wanted now.
    Set<String> idle = idle(models, now);
    Map<String, Integer> replicas = new HashMap<>();
    decisions.forEach((modelName, decision) -> replicas.put(modelName, decision.replicas()));
    PlanInput input = PoolPlanInput.of(pool, pods, models, replicas, idle);
    Plan plan = ResidencyPlanner.plan(input);
    ModelOutcome outcome = plan.outcomes().get(name);
    if (outcome == null) {
      // The cache already shows the Model deleted; its cleanup comes next.
      return UpdateControl.noUpdate();
    }

    Step step = step(model, version, context);
    String uid = model.getMetadata().getUid();
    String previous = servingVersions.getOrDefault(uid, model.getStatus() == null ? null : model.getStatus().getVersion());
    step.paused = Boolean.TRUE.equals(model.getSpec().getPaused());
    step.promoteStaged = version.equals(previous)
        && Optional.ofNullable(switches.get(uid)).map(at -> !now.isBefore(at.plus(PROMOTE_GRACE))).orElse(true);
    Optional.ofNullable(decisions.get(name)).ifPresent(decision -> scaled(model, decision, step.events));
    String backoffKey = model.getMetadata().getUid() + "/" + version;
    Optional<LoadFailure> waiting = backoff.waiting(backoffKey, clock.instant());
    boolean unloadPending = false;
    long residentBefore = pods.stream()
        .filter(pod -> ResidencyAnnotations.read(pod.getMetadata().getAnnotations(), ResidencyAnnotations.RESIDENT).containsKey(name))
        .count();
    if (residentBefore == 0) {
      metrics.noReplica(model, Optional.ofNullable(decisions.get(name)).flatMap(Decision::load)
          .map(load -> load.queueDepth() > 0).orElse(false), now);
    }
    for (Pod pod : pods) {
      boolean desired = plan.placement().getOrDefault(pod.getMetadata().getName(), Collections.emptySortedSet()).contains(name);
      if (desired) {
        step.keep(pod, waiting.isEmpty(), room(input, pod, name), roomBeside(input, pod, name));
      } else if (!step.drop(pod, UnloadReason.of(WorkerPods.draining(pod), idle.contains(name), outcome.targetReplicas(),
          (int) residentBefore))) {
        unloadPending = true;
      }
    }

    Optional<Duration> loadRetry = Optional.empty();
    Optional<LoadFailure> failure = waiting;
    if (!step.failures.isEmpty()) {
      failure = Optional.of(step.failures.getFirst());
      loadRetry = Optional.of(backoff.failed(backoffKey, failure.get(), clock.instant()));
    } else if (waiting.isPresent()) {
      loadRetry = Optional.of(backoff.remaining(backoffKey, clock.instant()));
    } else if (step.loaded) {
      backoff.succeeded(backoffKey);
    }
    Set<String> confirmed = new HashSet<>(step.residentWorkers.keySet());
    confirmed.addAll(step.stagedWorkers);
    List<Pod> routable = pods.stream().filter(pod -> !step.takenOut.contains(pod.getMetadata().getName())).toList();
    ServingVersion serving = ServingVersion.of(name, version, previous, routable, confirmed, outcome.targetReplicas(),
        step.paused);
    servingVersions.put(uid, serving.version());
    if (serving.switchedFrom(previous)) {
      switches.put(uid, now);
      log.info("model version switched model={} from={} to={} workers={}", name, previous, serving.version(),
          serving.workers());
      step.events.normal(model, ModelEvents.VERSION_SWITCHED, "Requests now go to version %s (was %s), warm on %s"
          .formatted(serving.version(), previous, String.join(", ", serving.workers())));
    }
    boolean rolling = !step.stagedWorkers.isEmpty() || !serving.version().equals(version) || inPlace.containsKey(uid);
    if (rolling && step.paused && pausedRollouts.add(uid + "/" + version)) {
      step.events.normal(model, ModelEvents.ROLLOUT_PAUSED,
          "Version %s is not rolled out while spec.paused is true; version %s serves".formatted(version,
              serving.version()));
    }
    Optional<Duration> retryIn = Stream.of(loadRetry, unloadPending ? Optional.of(UNLOAD_RETRY) : Optional.<Duration>empty(),
            step.loadingWorkers.isEmpty() && step.waitingForRoom.isEmpty() && !rolling
                ? Optional.<Duration>empty() : Optional.of(LOAD_POLL),
            Optional.of(scaling.settings().sampleInterval()))
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
    List<String> resident = serving.version().equals(version)
        ? confirmed.stream().sorted().toList()
        : serving.workers();
    var observed = new ObservedResidency(true, serving.version(), outcome.targetReplicas(), resident,
        serving.workers().size(), serving.updated(), step.loadingWorkers, outcome.shortfall(),
        failure, lastLoadTime(model), lastRequest(model).toString(), measuredMemory(model));
    return statusUpdate(model, observed, Optional.ofNullable(decisions.get(name)), retryIn);
  }

  @Override
  public DeleteControl cleanup(Model model, Context<Model> context) {
    checks.retain(model.getMetadata().getName(), List.of());
    lastLoads.remove(model.getMetadata().getUid());
    measuredMemory.remove(model.getMetadata().getUid());
    lastRequests.remove(model.getMetadata().getUid());
    lastDesired.remove(model.getMetadata().getUid());
    servingVersions.remove(model.getMetadata().getUid());
    inPlace.remove(model.getMetadata().getUid());
    pausedRollouts.removeIf(key -> key.startsWith(model.getMetadata().getUid() + "/"));
    switches.remove(model.getMetadata().getUid());
    metrics.forget(model);
    Step step = step(model, ModelVersion.of(model.getSpec()), context);
    boolean gone = poolPods(context, model.getMetadata().getNamespace(), model.getSpec().getPool()).stream()
        .map(pod -> step.drop(pod, UnloadReason.DELETED))
        .reduce(true, Boolean::logicalAnd);
    return gone ? DeleteControl.defaultDelete() : DeleteControl.noFinalizerRemoval().rescheduleAfter(UNLOAD_RETRY);
  }

  /** The OnDemand models of {@code models} unused past their idle timeout at {@code now}, by name. */
  private Set<String> idle(List<Model> models, Instant now) {
    return models.stream()
        .filter(m -> ModelIdleness.idle(m, lastRequest(m), now))
        .map(m -> m.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  /** Tells a change of the model's desired replicas in an Event and a metric. */
  private void scaled(Model model, Decision decision, ModelEvents events) {
    Integer previous = lastDesired.put(model.getMetadata().getUid(), decision.replicas());
    if (previous == null && model.getStatus() != null) {
      previous = model.getStatus().getDesiredReplicas();
    }
    ScaleChange.of(previous, decision).ifPresent(change -> {
      events.normal(model, change.eventReason(), change.message());
      metrics.scaled(model, change);
    });
  }

  /** Whether the worker {@code pod} has room for {@code model} next to what it holds now. */
  private static boolean room(PlanInput input, Pod pod, String model) {
    long bytes = input.models().stream().filter(demand -> demand.name().equals(model))
        .mapToLong(ModelDemand::memoryBytes).findFirst().orElse(0);
    return input.workers().stream()
        .filter(worker -> worker.name().equals(pod.getMetadata().getName()))
        .allMatch(worker -> worker.hasRoomFor(model, bytes));
  }

  /** Whether a new version of {@code model} fits on {@code pod} beside its old one and everything else there. */
  private static boolean roomBeside(PlanInput input, Pod pod, String model) {
    long bytes = input.models().stream().filter(demand -> demand.name().equals(model))
        .mapToLong(ModelDemand::memoryBytes).findFirst().orElse(0);
    return input.workers().stream()
        .filter(worker -> worker.name().equals(pod.getMetadata().getName()))
        .allMatch(worker -> worker.hasRoomBeside(bytes));
  }

  /** The most memory a load of {@code model} measured, by its status and the loads this operator made. */
  private Optional<Long> measuredMemory(Model model) {
    return Stream.of(GpuMemory.measuredBytes(model), Optional.ofNullable(measuredMemory.get(model.getMetadata().getUid())))
        .flatMap(Optional::stream)
        .max(Long::compare);
  }

  /** When {@code model} was last in demand, by its status and what this operator saw since. */
  private Instant lastRequest(Model model) {
    return ModelIdleness.lastRequest(model, Optional.ofNullable(lastRequests.get(model.getMetadata().getUid())));
  }

  /** The later of the status's last load time and the last load this operator made. */
  private String lastLoadTime(Model model) {
    String reported = model.getStatus() == null ? null : model.getStatus().getLastLoadTime();
    Instant remembered = lastLoads.get(model.getMetadata().getUid());
    if (remembered == null) {
      return reported;
    }
    return reported == null ? remembered.toString() : later(Instant.parse(reported), remembered).toString();
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** The pool's live worker pods, in name order, from the informer's cache. */
  private static List<Pod> poolPods(Context<Model> context, String namespace, String pool) {
    return workerPods(context).list(namespace,
            pod -> pool.equals(pod.getMetadata().getLabels().get(PoolLabels.POOL)) && WorkerPods.live(pod))
        .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
        .toList();
  }

  private Step step(Model model, String version, Context<Model> context) {
    return new Step(model, version, context.getClient(), new WorkerAnnotations(context.getClient()),
        new ModelEvents(context.getClient(), clock));
  }

  private UpdateControl<Model> statusUpdate(Model model, ObservedResidency observed, Optional<Decision> scaled,
      Optional<Duration> retryIn) {
    ModelStatus status = ModelStatuses.desired(model, observed, scaled, clock.instant());
    UpdateControl<Model> control;
    if (ModelStatuses.same(status, model.getStatus())) {
      control = UpdateControl.noUpdate();
    } else {
      Model patch = new Model();
      patch.setMetadata(new ObjectMetaBuilder()
          .withName(model.getMetadata().getName())
          .withNamespace(model.getMetadata().getNamespace())
          .build());
      patch.setStatus(status);
      control = UpdateControl.patchStatus(patch);
    }
    return retryIn.map(control::rescheduleAfter).orElse(control);
  }

  /** This model's share of the plan on each worker, and what came of it. */
  private final class Step {

    private final Model model;
    private final String name;
    private final String version;
    private final KubernetesClient client;
    private final WorkerAnnotations annotations;
    private final ModelEvents events;
    /** Workers that hold this version once the step is done, by pod name. */
    private final Map<String, Pod> residentWorkers = new HashMap<>();
    /** Workers chosen for this model that still hold models the plan moves away, by pod name. */
    private final Set<String> waitingForRoom = new HashSet<>();
    /** Workers a load of this model runs on, by pod name, with when it started. */
    private final Map<String, Instant> loadingWorkers = new HashMap<>();
    /** Workers that hold this version warm beside an older one serving there, by pod name. */
    private final Set<String> stagedWorkers = new HashSet<>();
    /** Whether requests go to this version now, so that its staged copies may replace the old ones. */
    private boolean promoteStaged;
    /** Whether the model's rollout is paused: no new version is loaded beside an old one. */
    private boolean paused;
    /** Workers taken out of routing in this step, to replace the model's old version there in place. */
    private final Set<String> takenOut = new HashSet<>();
    private final List<LoadFailure> failures = new ArrayList<>();
    private boolean loaded;
    /** Read when the step's first load is due, and only then. */
    private SourceCredentials credentials;

    Step(Model model, String version, KubernetesClient client, WorkerAnnotations annotations, ModelEvents events) {
      this.model = model;
      this.name = model.getMetadata().getName();
      this.version = version;
      this.client = client;
      this.annotations = annotations;
      this.events = events;
    }

    /**
     * The model belongs on {@code pod}: desire it there and, unless it is resident already, start
     * a load or take the result of the one that ran.
     */
    void keep(Pod pod, boolean mayLoad, boolean room, boolean roomBeside) {
      String podName = pod.getMetadata().getName();
      Map<String, String> podAnnotations = pod.getMetadata().getAnnotations();
      if (!version.equals(ResidencyAnnotations.read(podAnnotations, ResidencyAnnotations.DESIRED).get(name))) {
        annotations.put(pod, ResidencyAnnotations.DESIRED, name, version);
      }
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      boolean reachable = WorkerPods.ready(pod) && ip != null;
      String serving = ResidencyAnnotations.read(podAnnotations, ResidencyAnnotations.RESIDENT).get(name);
      String staged = ResidencyAnnotations.read(podAnnotations, ResidencyAnnotations.STAGED).get(name);
      String uid = model.getMetadata().getUid();
      InPlace replacing = inPlace.get(uid);
      boolean replacingHere = replacing != null && replacing.podUid().equals(pod.getMetadata().getUid());
      if (version.equals(serving)) {
        if (replacingHere) {
          inPlace.remove(uid, replacing);
        }
        if (staged != null && reachable) {
          dropStaged(pod, ip, staged);
        }
        if (!reachable || !checks.needed(pod, name) || holds(pod, ip)) {
          residentWorkers.put(podName, pod);
          return;
        }
        log.info("model lost model={} version={} pod={}: the runtime restarted", name, version, podName);
        annotations.remove(pod, ResidencyAnnotations.RESIDENT, name);
        serving = null;
      }
      // Another version serves here: the new one is staged beside it, and takes its place once requests go to it.
      boolean beside = serving != null;
      boolean stagedHere = beside && version.equals(staged);
      if (stagedHere) {
        stagedWorkers.add(podName);
      }
      if (beside && !stagedHere && !roomBeside && !paused && mayLoad && reachable) {
        if (replacing == null) {
          takeOut(pod, serving);
        }
        return;
      }
      if (replacingHere && !readyToReplace(pod, ip, replacing)) {
        return;
      }
      LoadsInFlight.Key key = loadKey(pod);
      Optional<LoadsInFlight.Progress> progress = loads.poll(key);
      if (progress.isPresent()) {
        switch (progress.get()) {
          case LoadsInFlight.Running running -> loadingWorkers.put(podName, running.since());
          case LoadsInFlight.Loaded done when done.version().equals(version) && done.model().staged() ->
              confirmStaged(pod, done.model());
          case LoadsInFlight.Loaded done when done.version().equals(version) -> confirm(pod, done.model());
          case LoadsInFlight.Failed failed when failed.version().equals(version) -> fail(podName, failed.message());
          default -> log.info("model load of an old version ended model={} pod={}", name, podName);
        }
        return;
      }
      if (!mayLoad || !reachable || (stagedHere && !promoteStaged) || (beside && !stagedHere && paused)) {
        return;
      }
      if (!room && !stagedHere) {
        waitingForRoom.add(podName);
        return;
      }
      SourceCredentials source = credentials();
      if (source instanceof SourceCredentials.Missing) {
        return;
      }
      LoadRequest plain = ModelLoadRequests.of(model, version, source.bearerToken());
      LoadRequest request = beside && !stagedHere ? plain.staged() : plain;
      URI worker = WorkerAdminClient.worker(ip);
      Instant now = clock.instant();
      loads.start(key, version, now, () -> workers.load(worker, request));
      loadingWorkers.put(podName, now);
      log.info("model loading model={} version={} pod={}{}", name, version, podName,
          stagedHere ? " (promoting the staged copy)" : beside ? " (staged beside version " + serving + ")" : "");
    }

    /**
     * The new version does not fit beside the old one on {@code pod}: the worker is taken out of
     * routing for this model, and once the gateways have seen that the old version is unloaded and
     * the new one loaded in its place. The other workers serve meanwhile.
     */
    private void takeOut(Pod pod, String old) {
      String podName = pod.getMetadata().getName();
      inPlace.put(model.getMetadata().getUid(), new InPlace(pod.getMetadata().getUid(), clock.instant(), false));
      annotations.remove(pod, ResidencyAnnotations.RESIDENT, name);
      takenOut.add(podName);
      log.info("model replacing in place model={} version={} old={} pod={}: no room for both", name, version, old,
          podName);
      events.normal(model, ModelEvents.REPLACING_IN_PLACE, ("Replacing version %s with %s on worker %s, one worker "
          + "at a time: the worker has no room for both").formatted(old, version, podName));
    }

    /** Whether the old version on a worker taken out of routing is gone, unloading it once the gateways have had time. */
    private boolean readyToReplace(Pod pod, String ip, InPlace replacing) {
      if (replacing.unloaded()) {
        return true;
      }
      if (ip == null || clock.instant().isBefore(replacing.since().plus(PROMOTE_GRACE))) {
        return false;
      }
      try {
        workers.unload(WorkerAdminClient.worker(ip), name);
        inPlace.replace(model.getMetadata().getUid(), replacing, new InPlace(replacing.podUid(), replacing.since(), true));
        return true;
      } catch (WorkerAdminException e) {
        log.warn("model unload before an in-place load failed model={} pod={}: {}", name, pod.getMetadata().getName(),
            e.getMessage());
        return false;
      }
    }

    /** The load of this version beside the one serving on {@code pod} finished: it is warm there, waiting its turn. */
    private void confirmStaged(Pod pod, LoadedModel done) {
      annotations.put(pod, ResidencyAnnotations.STAGED, name, version);
      stagedWorkers.add(pod.getMetadata().getName());
      loaded = true;
      lastLoads.merge(model.getMetadata().getUid(), clock.instant().truncatedTo(ChronoUnit.SECONDS), ModelReconciler::later);
      log.info("model staged model={} version={} pod={} loadMillis={}", name, version, pod.getMetadata().getName(),
          done.loadMillis());
      events.normal(model, ModelEvents.LOADED, "Loaded version %s beside the one serving on worker %s in %.2fs"
          .formatted(version, pod.getMetadata().getName(), done.loadMillis() / 1000.0));
    }

    /** A staged copy of another version is on {@code pod}, e.g. after the spec went back: unloads it. */
    private void dropStaged(Pod pod, String ip, String staged) {
      try {
        workers.unload(WorkerAdminClient.worker(ip), name, staged);
        annotations.remove(pod, ResidencyAnnotations.STAGED, name);
        log.info("model staged copy unloaded model={} version={} pod={}", name, staged, pod.getMetadata().getName());
      } catch (WorkerAdminException e) {
        log.warn("model staged copy unload failed model={} pod={}: {}", name, pod.getMetadata().getName(), e.getMessage());
      }
    }

    private void confirm(Pod pod, LoadedModel done) {
      String podName = pod.getMetadata().getName();
      annotations.put(pod, ResidencyAnnotations.RESIDENT, name, version);
      annotations.remove(pod, ResidencyAnnotations.STAGED, name);
      stagedWorkers.remove(podName);
      checks.confirmed(pod, name);
      residentWorkers.put(podName, pod);
      loaded = true;
      metrics.warm(model, clock.instant());
      metrics.loaded(model);
      lastLoads.merge(model.getMetadata().getUid(), clock.instant().truncatedTo(ChronoUnit.SECONDS), ModelReconciler::later);
      if (done.memoryBytes() > 0) {
        measuredMemory.merge(model.getMetadata().getUid(), done.memoryBytes(), Math::max);
      }
      log.info("model loaded model={} version={} pod={} loadMillis={} memoryBytes={}", name, version, podName,
          done.loadMillis(), done.memoryBytes());
      events.normal(model, ModelEvents.LOADED, "Loaded version %s on worker %s in %.2fs".formatted(
          version, podName, done.loadMillis() / 1000.0));
    }

    private void fail(String podName, String message) {
      LoadFailure failure = LoadFailure.of(podName, message);
      failures.add(failure);
      metrics.loadFailed(model, failure);
      log.warn("model load failed model={} version={} pod={} reason={}: {}", name, version, podName,
          failure.reason().reason(), message);
      events.warning(model, ModelEvents.LOAD_FAILED, "Version %s on worker %s: %s".formatted(version, podName, message));
    }

    private LoadsInFlight.Key loadKey(Pod pod) {
      return new LoadsInFlight.Key(model.getMetadata().getUid(), pod.getMetadata().getUid());
    }

    /**
     * The source's credentials, read once per step. Missing ones fail the step's loads before any
     * is sent, with a condition, an Event and a back-off like a refused load.
     */
    private SourceCredentials credentials() {
      if (credentials == null) {
        credentials = SourceCredentials.read(client, model);
        if (credentials instanceof SourceCredentials.Missing missing) {
          LoadFailure failure = LoadFailure.untried(missing);
          failures.add(failure);
          metrics.loadFailed(model, failure);
          log.warn("model load not tried model={} version={} reason={}: {}", name, version, missing.reason().reason(),
              missing.message());
          events.warning(model, ModelEvents.LOAD_FAILED, "Version %s: %s".formatted(version, missing.message()));
        }
      }
      return credentials;
    }

    /**
     * Whether the runtime on {@code pod} still holds this version, as its annotation says. An
     * unreachable runtime is given the benefit of the doubt; the next reconcile asks again.
     */
    private boolean holds(Pod pod, String ip) {
      try {
        boolean holds = workers.list(WorkerAdminClient.worker(ip)).stream()
            .anyMatch(loaded -> loaded.name().equals(name) && loaded.version().equals(version));
        if (holds) {
          checks.confirmed(pod, name);
        }
        return holds;
      } catch (WorkerAdminException e) {
        log.warn("model check failed model={} pod={}: {}", name, pod.getMetadata().getName(), e.getMessage());
        return true;
      }
    }

    /**
     * The model does not belong on {@code pod}, for {@code reason}: unload it if it is there and
     * forget it in both annotations. Returns whether nothing of it is left there.
     */
    boolean drop(Pod pod, UnloadReason reason) {
      String podName = pod.getMetadata().getName();
      Map<String, String> podAnnotations = pod.getMetadata().getAnnotations();
      boolean desired = ResidencyAnnotations.read(podAnnotations, ResidencyAnnotations.DESIRED).containsKey(name);
      if (desired) {
        annotations.remove(pod, ResidencyAnnotations.DESIRED, name);
      }
      Optional<LoadsInFlight.Progress> progress = loads.poll(loadKey(pod));
      if (progress.filter(LoadsInFlight.Running.class::isInstance).isPresent()) {
        return false;
      }
      boolean resident = ResidencyAnnotations.read(podAnnotations, ResidencyAnnotations.RESIDENT).containsKey(name)
          || progress.filter(LoadsInFlight.Loaded.class::isInstance).isPresent();
      if (!resident) {
        return true;
      }
      if (reason == UnloadReason.WORKER_DRAINING) {
        // It serves on while the model is loaded elsewhere, and goes with its worker.
        return true;
      }
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      if (ip == null) {
        return false;
      }
      try {
        workers.unload(WorkerAdminClient.worker(ip), name);
        annotations.remove(pod, ResidencyAnnotations.RESIDENT, name);
        annotations.remove(pod, ResidencyAnnotations.STAGED, name);
        log.info("model unloaded model={} pod={} reason={}", name, podName, reason.tag());
        events.normal(model, reason.eventReason(), "Unloaded from worker %s: %s".formatted(podName, reason.why()));
        metrics.unloaded(model, reason);
        return true;
      } catch (WorkerAdminException e) {
        log.warn("model unload failed model={} pod={}: {}", name, podName, e.getMessage());
        return false;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<Pod, Model> workerPods(Context<Model> context) {
    return (InformerEventSource<Pod, Model>) context.eventSourceRetriever().getEventSourceFor(Pod.class);
  }

  /** A worker whose model is being replaced in place, since when, and whether the old version is unloaded yet. */
  private record InPlace(String podUid, Instant since, boolean unloaded) {}
}
