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
import java.util.stream.Stream;

/**
 * The models resident on this worker: one serving version per name, and at most one staged version
 * beside it. Loading is idempotent: a model already resident at that version is returned at once,
 * and concurrent requests for the same load share it. A new version is loaded beside the old one and
 * replaces it only once warm; the old one finishes its running requests before it is freed. A staged
 * load keeps the old version serving: the new one serves only requests that name it, until a plain
 * load of it promotes it at once. A failed load leaves every other model serving.
 */
public final class ResidentModels {

  private final ModelLoader loader;
  private final Map<String, ResidentModel> resident = new ConcurrentHashMap<>();
  private final Map<String, ResidentModel> staged = new ConcurrentHashMap<>();
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
    Optional<ResidentModel> done = alreadyLoaded(request);
    if (done.isPresent()) {
      return done.get();
    }
    var mine = new CompletableFuture<ResidentModel>();
    CompletableFuture<ResidentModel> running = loading.putIfAbsent(request.name() + "@" + request.version(), mine);
    if (running != null) {
      awaitOther(running);
      return load(request);
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

  /**
   * The version asked for when it is here: serving, or staged and asked for staged again. A plain
   * load of the staged version promotes it to serving here.
   */
  private synchronized Optional<ResidentModel> alreadyLoaded(LoadRequest request) {
    ResidentModel current = resident.get(request.name());
    if (current != null && current.version().equals(request.version())) {
      return Optional.of(current);
    }
    ResidentModel next = staged.get(request.name());
    if (next == null || !next.version().equals(request.version())) {
      return Optional.empty();
    }
    if (!request.staged()) {
      staged.remove(request.name());
      place(request.name(), next, false);
    }
    return Optional.of(next);
  }

  private ResidentModel loadOnce(LoadRequest request) throws ModelLoadException {
    ResidentModel loaded = loader.load(request, stats.computeIfAbsent(request.name(), name -> {
      var created = new ModelStats();
      onNewModel.accept(name, created);
      return created;
    }));
    place(request.name(), loaded, request.staged());
    lastFailures.remove(request.name());
    return loaded;
  }

  /**
   * Makes {@code model} the serving version of {@code name}, or its staged one; what it replaces is
   * retired. A model with nothing serving is served at once, staged or not.
   */
  private synchronized void place(String name, ResidentModel model, boolean stage) {
    if (stage && resident.containsKey(name)) {
      retire(staged.put(name, model));
      return;
    }
    retire(resident.put(name, model));
    ResidentModel next = staged.get(name);
    if (next != null && next != model && !stage) {
      retire(staged.remove(name));
    }
  }

  private static void retire(ResidentModel model) {
    if (model != null) {
      model.retire();
    }
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

  /** Unloads the model, every version of it; their running requests finish first. False when it was not resident. */
  public synchronized boolean unload(String name) {
    ResidentModel removed = resident.remove(name);
    ResidentModel next = staged.remove(name);
    retire(removed);
    retire(next);
    return removed != null || next != null;
  }

  /** Unloads one version of the model, serving or staged; false when that version is not resident. */
  public synchronized boolean unload(String name, String version) {
    for (Map<String, ResidentModel> versions : List.of(staged, resident)) {
      ResidentModel model = versions.get(name);
      if (model != null && model.version().equals(version)) {
        versions.remove(name);
        model.retire();
        return true;
      }
    }
    return false;
  }

  /** Holds the serving version of the model for one request; close the hold when the request is done. */
  public Optional<Hold> hold(String name) {
    return hold(name, Optional.empty());
  }

  /**
   * Holds the model for one request: {@code version} when given, serving or staged, else the
   * serving version. Empty when that is not resident.
   */
  public Optional<Hold> hold(String name, Optional<String> version) {
    while (true) {
      ResidentModel model = version.isPresent() ? find(name, version.get()) : resident.get(name);
      if (model == null) {
        return Optional.empty();
      }
      if (model.tryHold()) {
        return Optional.of(new Hold(model));
      }
      // retired between the lookup and the hold: a new version has just taken its place
    }
  }

  private ResidentModel find(String name, String version) {
    for (ResidentModel model : new ResidentModel[] {resident.get(name), staged.get(name)}) {
      if (model != null && model.version().equals(version)) {
        return model;
      }
    }
    return null;
  }

  /** The serving version of each model, in name order. */
  public List<ResidentModel> list() {
    return resident.values().stream().sorted(Comparator.comparing(ResidentModel::name)).toList();
  }

  /** The staged versions, in name order. */
  public List<ResidentModel> staged() {
    return staged.values().stream().sorted(Comparator.comparing(ResidentModel::name)).toList();
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
    Stream.concat(resident.keySet().stream(), staged.keySet().stream()).distinct().toList().forEach(this::unload);
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
