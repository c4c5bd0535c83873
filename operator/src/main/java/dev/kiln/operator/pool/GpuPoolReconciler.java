package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolStatus;
import dev.kiln.crds.model.Model;
import dev.kiln.operator.model.ModelIdleness;
import dev.kiln.operator.model.PoolPlanInput;
import dev.kiln.operator.residency.ModelDemand;
import dev.kiln.operator.residency.Plan;
import dev.kiln.operator.residency.PlanInput;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.operator.residency.ResidencyPlanner;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a pool's worker pods at {@link WorkerCount#desired}: the pods are created and deleted here,
 * not by a ReplicaSet, because the operator must choose which worker goes. The headless Service and
 * the PodDisruptionBudget are dependents. Status is patched only when it changes.
 *
 * <p>The workers the placement needs come from the residency planner, run here on the same inputs
 * as the Model reconciler's: the pool's workers and its Models, each asking for the replicas its
 * status says the autoscaler decided. A Model's status change wakes its pool.
 *
 * <p>Surplus workers stay until the pool has had them for its {@code scaleDownDelay}
 * ({@link ScaleDownDelay}); the pool is looked at again when that runs out. A Ready worker is then
 * not deleted at once but drained ({@link WorkerDrain}): while one is, the pool is looked at again
 * every {@link DrainSettings#poll} instead of a thread waiting on it.
 */
@ControllerConfiguration(name = GpuPoolReconciler.NAME)
@Workflow(dependents = {
    @Dependent(type = WorkersServiceDependent.class),
    @Dependent(type = WorkersDisruptionBudgetDependent.class)})
public class GpuPoolReconciler implements Reconciler<GpuPool> {

  public static final String NAME = "gpupool";

  private static final Logger log = LoggerFactory.getLogger(GpuPoolReconciler.class);

  private final String defaultImage;
  private final WorkerNames names;
  private final DrainSettings drainSettings;
  private final Clock clock;
  private final WorkerAdminClient admin = WorkerAdminClient.withDefaults();

  /** @param defaultImage the runtime image for pools that name none */
  public GpuPoolReconciler(String defaultImage) {
    this(defaultImage, DrainSettings.defaults());
  }

  /**
   * @param defaultImage the runtime image for pools that name none
   * @param drainSettings how the workers it removes are drained
   */
  public GpuPoolReconciler(String defaultImage, DrainSettings drainSettings) {
    this(defaultImage, drainSettings, RandomGenerator.getDefault(), Clock.systemUTC());
  }

  GpuPoolReconciler(String defaultImage, DrainSettings drainSettings, RandomGenerator random, Clock clock) {
    this.defaultImage = defaultImage;
    this.drainSettings = Objects.requireNonNull(drainSettings, "drainSettings");
    this.names = new WorkerNames(random);
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, GpuPool>> prepareEventSources(EventSourceContext<GpuPool> context) {
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, GpuPool.class)
                .withLabelSelector(PoolLabels.MANAGED_BY_KILN)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(GpuPool.class))
                .withNamespacesInheritedFromController()
                .build(),
            context),
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Model.class, GpuPool.class)
                .withSecondaryToPrimaryMapper(model -> Set.of(new ResourceID(model.getSpec().getPool(), model.getMetadata().getNamespace())))
                .withNamespacesInheritedFromController()
                .build(),
            context));
  }

  @Override
  public UpdateControl<GpuPool> reconcile(GpuPool pool, Context<GpuPool> context) {
    List<Pod> pods = context.getSecondaryResourcesAsStream(Pod.class).toList();
    List<Model> models = poolModels(context, pool);
    Map<String, Integer> decided = new HashMap<>();
    models.stream()
        .filter(model -> model.getStatus() != null && model.getStatus().getDesiredReplicas() != null)
        .forEach(model -> decided.put(model.getMetadata().getName(), model.getStatus().getDesiredReplicas()));
    PlanInput input = PoolPlanInput.of(pool, pods, models, decided, ModelIdleness.idleByStatus(models, clock.instant()));
    Plan placement = ResidencyPlanner.plan(input);
    int desired = WorkerCount.desired(pool.getSpec(), WorkerCount.neededByPlacement(placement));
    Set<String> placed = placement.placement().entrySet().stream()
        .filter(entry -> !entry.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
    WorkerDrain drain = new WorkerDrain(context.getClient(), admin, clock, drainSettings.timeout());
    PoolEvents events = new PoolEvents(context.getClient(), clock);
    String hash = WorkerPodTemplate.hash(pool, defaultImage);
    RolloutPlan rollout = RolloutPlan.of(pods, hash, desired, pool.getSpec(), clock.instant());
    rollout.toRemove().forEach(pod -> delete(pod, context));
    rollout.toRetire().forEach(pod -> drain.mark(pool, pod, "worker " + pod.getMetadata().getName()
        + " has an old template and is replaced by one made from template " + hash));
    List<Pod> comeBack = DrainPlan.toUnmark(pods, desired, hash);
    comeBack.forEach(drain::unmark);
    List<Pod> active = pods.stream()
        .filter(pod -> !WorkerPods.draining(pod) || comeBack.contains(pod))
        .filter(pod -> !rollout.toRemove().contains(pod) && !rollout.toRetire().contains(pod))
        .toList();
    ScaleDownDelay.Decision scaleDown = ScaleDownDelay.decide((int) active.stream().filter(WorkerPods::live).count(),
        desired + rollout.surge(), pool.getSpec().getWorkers().getMax() + rollout.surge(),
        ScaleDownDelay.since(pool.getStatus()), ScaleDownDelay.of(pool.getSpec()), clock.instant());
    ScalePlan plan = ScalePlan.of(active, scaleDown.workers(), placed, hash);
    plan.toDelete().stream().filter(pod -> !DrainPlan.drainsFirst(pod)).forEach(pod -> delete(pod, context));
    plan.toDelete().stream().filter(DrainPlan::drainsFirst).forEach(pod -> drain.mark(pool, pod,
        "worker " + pod.getMetadata().getName() + " is draining before it is removed"));
    Map<String, Integer> targets = input.models().stream().collect(Collectors.toMap(ModelDemand::name, ModelDemand::desiredReplicas));
    boolean waiting = false;
    for (Pod pod : pods) {
      if (WorkerPods.live(pod) && WorkerPods.draining(pod) && !comeBack.contains(pod)) {
        waiting |= drain.advance(pool, pod, pods, targets);
      }
    }
    for (int i = 0; i < plan.toCreate(); i++) {
      create(pool, WorkerPodTemplate.desired(pool, names.next(pool.getMetadata().getName()), defaultImage), rollout,
          events, context);
    }
    boolean rolling = !rollout.complete() && !Boolean.TRUE.equals(pool.getSpec().getPaused());

    GpuPoolStatus status = PoolStatus.desired(pool, desired, pods, scaleDown.pending(), rollout, hash, clock.instant());
    new RolloutEvents(events).changed(pool, status);
    UpdateControl<GpuPool> update;
    if (PoolStatus.same(status, pool.getStatus())) {
      update = UpdateControl.noUpdate();
    } else {
      GpuPool patch = new GpuPool();
      patch.setMetadata(new ObjectMetaBuilder()
          .withName(pool.getMetadata().getName())
          .withNamespace(pool.getMetadata().getNamespace())
          .build());
      patch.setStatus(status);
      update = UpdateControl.patchStatus(patch);
    }
    return nextLook(waiting || rolling, scaleDown.pending()).map(update::rescheduleAfter).orElse(update);
  }

  /** The sooner of the drain poll, while a worker drains or a rollout runs, and the end of a pending scale-down's delay. */
  private Optional<Duration> nextLook(boolean draining, Optional<ScaleDownDelay.Pending> pending) {
    // Rounded up to the millisecond the timer counts in, so that the look is not a hair too early.
    Optional<Duration> delayEnds = pending.map(p -> Duration.ofMillis(p.remaining(clock.instant()).toMillis() + 1));
    return Stream.concat(draining ? Stream.of(drainSettings.poll()) : Stream.empty(), delayEnds.stream())
        .min(Comparator.naturalOrder());
  }

  private void create(GpuPool pool, Pod pod, RolloutPlan rollout, PoolEvents events, Context<GpuPool> context) {
    Pod created = context.getClient().resource(pod).create();
    log.info("worker created pool={} namespace={} pod={} template={}", pod.getMetadata().getLabels().get(PoolLabels.POOL),
        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), WorkerPodTemplate.hashOf(pod));
    if (!rollout.complete()) {
      events.normal(pool, PoolEvents.WORKER_CREATED, "worker "
          + pod.getMetadata().getName() + " created from template " + WorkerPodTemplate.hashOf(pod) + " ("
          + rollout.updated() + " updated, " + rollout.outdated() + " with an old template)");
    }
    // Seen by the next reconcile even before the informer's watch delivers it, so it is not created twice.
    workerPods(context).handleRecentResourceCreate(ResourceID.fromResource(created), created);
  }

  private static void delete(Pod pod, Context<GpuPool> context) {
    context.getClient().resource(pod).delete();
    log.info("worker deleted pool={} namespace={} pod={} phase={}", pod.getMetadata().getLabels().get(PoolLabels.POOL),
        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getStatus() == null ? null : pod.getStatus().getPhase());
  }

  /** The pool's Models that are not being deleted, from the informer's cache. */
  @SuppressWarnings("unchecked")
  private static List<Model> poolModels(Context<GpuPool> context, GpuPool pool) {
    var models = (InformerEventSource<Model, GpuPool>) context.eventSourceRetriever().getEventSourceFor(Model.class);
    return models.list(pool.getMetadata().getNamespace(),
            model -> pool.getMetadata().getName().equals(model.getSpec().getPool()) && model.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<Pod, GpuPool> workerPods(Context<GpuPool> context) {
    return (InformerEventSource<Pod, GpuPool>) context.eventSourceRetriever().getEventSourceFor(Pod.class);
  }
}
