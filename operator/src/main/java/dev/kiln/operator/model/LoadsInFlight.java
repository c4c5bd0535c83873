package dev.kiln.operator.model;

import dev.kiln.operator.runtime.LoadedModel;
import dev.kiln.operator.runtime.WorkerAdminException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The loads running on workers, so that a model of several gigabytes loading for minutes holds no
 * reconcile thread: a reconcile starts a load here, later reconciles see it running (the model's
 * phase is Loading meanwhile) and the first one after it ends takes its result.
 *
 * <p>One load at a time per model and worker pod. Loads of a model and pod that are gone are
 * forgotten; a load that still ends afterwards holds memory on a worker that the next reconcile
 * of its model checks, like any other runtime state.
 */
final class LoadsInFlight {

  /** A model on a worker pod, by their UIDs. */
  record Key(String modelUid, String podUid) {}

  /** What came of a load, or that it is still running. */
  sealed interface Progress permits Running, Loaded, Failed {
    /** The version the load was started for. */
    String version();
  }

  record Running(String version, Instant since) implements Progress {}

  record Loaded(String version, LoadedModel model) implements Progress {}

  record Failed(String version, String message) implements Progress {}

  /** A loading step: the worker's admin API call. */
  @FunctionalInterface
  interface Load {
    LoadedModel run() throws WorkerAdminException;
  }

  private record Entry(String version, Instant since, CompletableFuture<LoadedModel> result) {}

  private final Map<Key, Entry> loads = new ConcurrentHashMap<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  /** Starts {@code load} of {@code version}; the caller has checked that none runs for {@code key}. */
  void start(Key key, String version, Instant now, Load load) {
    CompletableFuture<LoadedModel> result = CompletableFuture.supplyAsync(() -> {
      try {
        return load.run();
      } catch (WorkerAdminException e) {
        throw new CompletionException(e);
      }
    }, executor);
    loads.put(key, new Entry(version, now, result));
  }

  /**
   * The load for {@code key}: running, or its result, which is handed out once and then
   * forgotten; empty when there is none.
   */
  Optional<Progress> poll(Key key) {
    Entry entry = loads.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!entry.result().isDone()) {
      return Optional.of(new Running(entry.version(), entry.since()));
    }
    loads.remove(key, entry);
    try {
      return Optional.of(new Loaded(entry.version(), entry.result().join()));
    } catch (CompletionException e) {
      return Optional.of(new Failed(entry.version(), e.getCause().getMessage()));
    }
  }

  /** Forgets the loads of {@code modelUid} on pods other than {@code livePodUids}. */
  void retain(String modelUid, Set<String> livePodUids) {
    loads.keySet().removeIf(key -> key.modelUid().equals(modelUid) && !livePodUids.contains(key.podUid()));
  }
}
