package dev.kiln.runtime.model;

import dev.kiln.runtime.onnx.OnnxSessions;
import dev.kiln.runtime.store.ModelStore;
import dev.kiln.runtime.task.ModelLoadException;
import dev.kiln.runtime.task.Tasks;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The models resident on this worker, one version per name. Loading is idempotent: a model already
 * resident at that version is returned at once, and concurrent requests for the same load share
 * it. A new version is loaded beside the old one and replaces it only once warm; the old one
 * finishes its running requests before it is freed. A failed load leaves every other model serving.
 */
public final class ResidentModels {

  private final ModelLoader loader;
  private final Map<String, ResidentModel> resident = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<ResidentModel>> loading = new ConcurrentHashMap<>();
  private final Map<String, ModelStats> stats = new ConcurrentHashMap<>();
  private final Map<String, String> lastFailures = new ConcurrentHashMap<>();

  private final BiConsumer<String, ModelStats> onNewModel;

  /**
   * {@code memoryInUse} is sampled around each load to measure what the model took; {@code onNewModel}
   * hears of each model name the first time it is loaded, e.g. to register its metrics.
   */
  public ResidentModels(ModelStore store, Tasks tasks, OnnxSessions onnx, LongSupplier memoryInUse,
      BiConsumer<String, ModelStats> onNewModel) {
    this.loader = new ModelLoader(store, tasks, onnx, memoryInUse);
    this.onNewModel = onNewModel;
  }

  /** Loads the model (or finds it loaded) and returns it warm; throws with the reason when it cannot serve. */
  public ResidentModel load(LoadRequest request) throws ModelLoadException, InterruptedException {
    ResidentModel current = resident.get(request.name());
    if (current != null && current.version().equals(request.version())) {
      return current;
    }
    var mine = new CompletableFuture<ResidentModel>();
    CompletableFuture<ResidentModel> running = loading.putIfAbsent(request.name() + "@" + request.version(), mine);
    if (running != null) {
      return awaitOther(running);
    }
    try {
      ResidentModel loaded = loadOnce(request);
      mine.complete(loaded);
      return loaded;
    } catch (ModelLoadException e) {
      lastFailures.put(request.name(), e.getMessage());
      mine.completeExceptionally(e);
      throw e;
    } finally {
      loading.remove(request.name() + "@" + request.version(), mine);
    }
  }

  private ResidentModel loadOnce(LoadRequest request) throws ModelLoadException {
    ResidentModel current = resident.get(request.name());
    if (current != null && current.version().equals(request.version())) {
      return current;
    }
    ResidentModel loaded = loader.load(request, stats.computeIfAbsent(request.name(), name -> {
      var created = new ModelStats();
      onNewModel.accept(name, created);
      return created;
    }));
    ResidentModel previous = resident.put(request.name(), loaded);
    if (previous != null) {
      previous.retire();
    }
    lastFailures.remove(request.name());
    return loaded;
  }

  private static ResidentModel awaitOther(CompletableFuture<ResidentModel> running)
      throws ModelLoadException, InterruptedException {
    try {
      return running.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ModelLoadException failed ? failed
          : new ModelLoadException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Unloads the model; its running requests finish first. False when it was not resident. */
  public boolean unload(String name) {
    ResidentModel removed = resident.remove(name);
    if (removed == null) {
      return false;
    }
    removed.retire();
    return true;
  }

  /** Holds the resident model for one request; close the hold when the request is done. */
  public Optional<Hold> hold(String name) {
    while (true) {
      ResidentModel model = resident.get(name);
      if (model == null) {
        return Optional.empty();
      }
      if (model.tryHold()) {
        return Optional.of(new Hold(model));
      }
      // retired between the lookup and the hold: a new version has just taken its place
    }
  }

  public List<ResidentModel> list() {
    return resident.values().stream().sorted(Comparator.comparing(ResidentModel::name)).toList();
  }

  /** Counters of every model this worker has served, resident or not. */
  public Map<String, ModelStats> stats() {
    return Map.copyOf(stats);
  }

  /** The reason the last load of {@code name} failed, until a load of it succeeds. */
  public Optional<String> lastFailure(String name) {
    return Optional.ofNullable(lastFailures.get(name));
  }

  public Map<String, String> lastFailures() {
    return Map.copyOf(lastFailures);
  }

  /** Unloads everything, each model once its running requests are done. */
  public void unloadAll() {
    resident.keySet().forEach(this::unload);
  }

  /** A model held by one request; it is not freed until the hold is closed. */
  public static final class Hold implements AutoCloseable {

    private final ResidentModel model;

    private Hold(ResidentModel model) {
      this.model = model;
    }

    public ResidentModel model() {
      return model;
    }

    @Override
    public void close() {
      model.release();
    }
  }
}
