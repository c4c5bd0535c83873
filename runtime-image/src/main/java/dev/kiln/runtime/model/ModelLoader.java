package dev.kiln.runtime.model;

import dev.kiln.runtime.onnx.OnnxSessions;
import dev.kiln.runtime.onnx.SessionSettings;
import dev.kiln.runtime.store.CachedModel;
import dev.kiln.runtime.store.ModelFetchException;
import dev.kiln.runtime.store.ModelLocation;
import dev.kiln.runtime.store.ModelStore;
import dev.kiln.runtime.task.BatchingSettings;
import dev.kiln.runtime.task.ModelLoad;
import dev.kiln.runtime.task.ModelLoadException;
import dev.kiln.runtime.task.ServableModel;
import dev.kiln.runtime.task.Task;
import dev.kiln.runtime.task.Tasks;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a load request into a warm model: fetches its file into the node cache (held while the
 * model is resident), lets its task load and warm it, and measures the memory the load took.
 */
final class ModelLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

  private final ModelStore store;
  private final Tasks tasks;
  private final OnnxSessions onnx;
  private final LongSupplier memoryInUse;

  /** {@code memoryInUse} reads the memory models load into (GPU memory on a GPU worker), sampled around each load. */
  ModelLoader(ModelStore store, Tasks tasks, OnnxSessions onnx, LongSupplier memoryInUse) {
    this.store = store;
    this.tasks = tasks;
    this.onnx = onnx;
    this.memoryInUse = memoryInUse;
  }

  ResidentModel load(LoadRequest request, ModelStats stats) throws ModelLoadException {
    Task task = tasks.named(request.task()).orElseThrow(() -> new ModelLoadException(
        "task \"" + request.task() + "\" is not served by this runtime; it serves " + tasks.names()));
    SessionSettings session = settings(request, LoadRequest::sessionSettings);
    BatchingSettings batching = settings(request, LoadRequest::batchingSettings);
    long started = System.nanoTime();
    LOG.info("loading model={} version={} task={} source={}", request.name(), request.version(), request.task(),
        request.source() == null ? "none" : request.source().uri());
    CachedModel cached = task.needsModelFile() ? fetch(request) : null;
    long before = memoryInUse.getAsLong();
    ServableModel model;
    try {
      model = task.load(new ModelLoad(request.name(), cached == null ? null : cached.path(), onnx, session,
          batching, request.options()));
    } catch (ModelLoadException | RuntimeException e) {
      if (cached != null) {
        cached.close();
      }
      throw e instanceof ModelLoadException failed ? failed
          : new ModelLoadException("loading " + request.name() + " failed: " + e.getMessage(), e);
    }
    long memory = model.memoryBytes().orElse(Math.max(0, memoryInUse.getAsLong() - before));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("loaded model={} version={} memoryBytes={} loadMillis={} provider={}", request.name(), request.version(),
        memory, took.toMillis(), onnx.provider().cuda() ? "cuda" : "cpu");
    return new ResidentModel(request, model, cached == null ? () -> { } : cached, stats, memory, Instant.now(), took);
  }

  private CachedModel fetch(LoadRequest request) throws ModelLoadException {
    if (request.source() == null || request.source().uri() == null) {
      throw new ModelLoadException("task " + request.task() + " needs a model file: set source.uri");
    }
    ModelLocation location;
    try {
      location = new ModelLocation(URI.create(request.source().uri()), request.source().sha256(),
          request.source().bearerToken());
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(e.getMessage(), e);
    }
    try {
      return store.fetch(location);
    } catch (ModelFetchException e) {
      throw new ModelLoadException(e.getMessage(), e);
    }
  }

  private static <T> T settings(LoadRequest request, Function<LoadRequest, T> read)
      throws ModelLoadException {
    try {
      return read.apply(request);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(e.getMessage(), e);
    }
  }
}
