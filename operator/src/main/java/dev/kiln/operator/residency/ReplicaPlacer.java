package dev.kiln.operator.residency;

import static java.util.Comparator.comparing;
import static java.util.Comparator.naturalOrder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The placement heuristic. Models are taken hot first, then on-demand; within each, the largest
 * first (large replicas are the hardest to fit), ties by name. In that order:
 *
 * <ol>
 *   <li>every model keeps the replicas it already has on workers that are not draining, up to its
 *       target; beyond the target it keeps those on the workers with the most free memory, so the
 *       unloads relieve the fullest workers;
 *   <li>hot models get up to {@code minReplicas}; where no worker has room, the fewest on-demand
 *       replicas are evicted from one worker to make it (see {@link #displaceOnDemandFor});
 *   <li>every model gets up to its target, without evicting anything.
 * </ol>
 *
 * <p>A new replica goes to a ready, non-draining worker that does not hold the model yet and has
 * room: one that has it resident already if any (the replica was dropped as surplus and is needed
 * again, so nothing is loaded), otherwise the one with the most free memory, ties by name, which
 * spreads replicas over the least-loaded workers.
 */
final class ReplicaPlacer {

  private static final Comparator<String> BY_NAME = naturalOrder();

  private final List<WorkerState> workers;
  private final Map<String, WorkerState> workersByName;
  private final Map<String, Long> modelMemory;
  private final Set<String> onDemandModels;
  private final Assignment assignment;

  private ReplicaPlacer(Collection<WorkerState> workers, Collection<ModelDemand> models, Map<String, Long> modelMemory) {
    this.workers = workers.stream().sorted(comparing(WorkerState::name)).toList();
    this.workersByName = workers.stream().collect(Collectors.toMap(WorkerState::name, w -> w));
    this.modelMemory = modelMemory;
    this.onDemandModels = models.stream().filter(m -> !m.isHot()).map(ModelDemand::name).collect(Collectors.toSet());
    this.assignment = new Assignment(workers, modelMemory);
  }

  /** Places the models' replicas on the workers; {@code modelMemory} holds each model's bytes per replica. */
  static Assignment place(Collection<WorkerState> workers, Collection<ModelDemand> models, Map<String, Long> modelMemory) {
    var placer = new ReplicaPlacer(workers, models, modelMemory);
    List<ModelDemand> byPriority = models.stream()
        .sorted(comparing((ModelDemand m) -> !m.isHot())
            .thenComparing(m -> modelMemory.get(m.name()), Comparator.<Long>reverseOrder())
            .thenComparing(ModelDemand::name))
        .toList();
    byPriority.forEach(placer::keepResident);
    byPriority.stream().filter(ModelDemand::isHot).forEach(m -> placer.placeUpTo(m, m.minReplicas(), true));
    byPriority.forEach(m -> placer.placeUpTo(m, m.targetReplicas(), false));
    return placer.assignment;
  }

  private void keepResident(ModelDemand model) {
    List<WorkerState> holders = workers.stream()
        .filter(w -> !w.draining() && w.residentModels().containsKey(model.name()))
        .sorted(Comparator.comparingLong(this::currentFreeBytes).reversed().thenComparing(WorkerState::name))
        .toList();
    for (WorkerState worker : holders) {
      if (assignment.replicas(model.name()) < model.targetReplicas() && assignment.fits(worker.name(), model.name())) {
        assignment.add(worker.name(), model.name());
      }
    }
  }

  private long currentFreeBytes(WorkerState worker) {
    long used = 0;
    for (var resident : worker.residentModels().entrySet()) {
      used += modelMemory.getOrDefault(resident.getKey(), resident.getValue());
    }
    return worker.gpuMemoryBytes() - used;
  }

  private void placeUpTo(ModelDemand model, int replicas, boolean mayDisplaceOnDemand) {
    while (assignment.replicas(model.name()) < replicas) {
      Optional<String> worker = roomiestWorkerFor(model.name());
      if (worker.isEmpty() && mayDisplaceOnDemand) {
        worker = displaceOnDemandFor(model.name());
      }
      if (worker.isEmpty()) {
        return;
      }
      assignment.add(worker.get(), model.name());
    }
  }

  private Optional<String> roomiestWorkerFor(String model) {
    return candidateWorkers(model)
        .filter(worker -> assignment.fits(worker, model))
        .min(Comparator.<String, Boolean>comparing(worker -> !residentNow(worker, model))
            .thenComparing(Comparator.<String>comparingLong(assignment::freeBytes).reversed())
            .thenComparing(BY_NAME));
  }

  private boolean residentNow(String worker, String model) {
    return workersByName.get(worker).residentModels().containsKey(model);
  }

  /**
   * Makes room for a hot replica by evicting on-demand replicas from one worker: on each worker the
   * largest go first (the fewest replicas for the room needed), and the worker chosen is the one
   * needing the fewest evictions, then the fewest evicted bytes, then the first by name. The
   * evicted models are placed again, elsewhere, in the last pass if there is room.
   */
  private Optional<String> displaceOnDemandFor(String model) {
    long neededBytes = modelMemory.get(model);
    Optional<Eviction> cheapest = candidateWorkers(model)
        .flatMap(worker -> evictionFor(worker, neededBytes).stream())
        .min(Eviction.CHEAPEST_FIRST);
    cheapest.ifPresent(eviction -> eviction.models().forEach(m -> assignment.remove(eviction.worker(), m)));
    return cheapest.map(Eviction::worker);
  }

  private Optional<Eviction> evictionFor(String worker, long neededBytes) {
    List<String> largestFirst = assignment.modelsOn(worker).stream()
        .filter(onDemandModels::contains)
        .sorted(Comparator.<String, Long>comparing(modelMemory::get, Comparator.reverseOrder()).thenComparing(BY_NAME))
        .toList();
    long freeBytes = assignment.freeBytes(worker);
    var evicted = new ArrayList<String>();
    long evictedBytes = 0;
    for (String candidate : largestFirst) {
      if (freeBytes + evictedBytes >= neededBytes) {
        break;
      }
      evicted.add(candidate);
      evictedBytes += modelMemory.get(candidate);
    }
    return freeBytes + evictedBytes >= neededBytes
        ? Optional.of(new Eviction(worker, evicted, evictedBytes))
        : Optional.empty();
  }

  private Stream<String> candidateWorkers(String model) {
    return workers.stream()
        .filter(WorkerState::acceptsNewReplicas)
        .map(WorkerState::name)
        .filter(worker -> !assignment.holds(worker, model));
  }

  private record Eviction(String worker, List<String> models, long bytes) {
    static final Comparator<Eviction> CHEAPEST_FIRST = Comparator.comparingInt((Eviction e) -> e.models().size())
        .thenComparingLong(Eviction::bytes)
        .thenComparing(Eviction::worker);
  }
}
