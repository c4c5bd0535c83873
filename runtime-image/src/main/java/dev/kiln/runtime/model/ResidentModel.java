package dev.kiln.runtime.model;

import dev.kiln.runtime.task.InvalidInputException;
import dev.kiln.runtime.task.Invocation;
import dev.kiln.runtime.task.InvocationResult;
import dev.kiln.runtime.task.ServableModel;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model loaded and warm on this worker. Requests hold it while they run; once it is retired
 * (unloaded, or replaced by a new version) it takes no new requests and frees its memory and its
 * hold on the cache when the last running request is done.
 */
public final class ResidentModel {

  private static final Logger LOG = LoggerFactory.getLogger(ResidentModel.class);

  private final LoadRequest request;
  private final ServableModel model;
  private final AutoCloseable cacheHold;
  private final ModelStats stats;
  private final long memoryBytes;
  private final Instant loadedAt;
  private final Duration loadTime;
  private int running;
  private boolean retired;
  private boolean closed;

  ResidentModel(LoadRequest request, ServableModel model, AutoCloseable cacheHold, ModelStats stats, long memoryBytes,
      Instant loadedAt, Duration loadTime) {
    this.request = request;
    this.model = model;
    this.cacheHold = cacheHold;
    this.stats = stats;
    this.memoryBytes = memoryBytes;
    this.loadedAt = loadedAt;
    this.loadTime = loadTime;
  }

  /** Runs one request, counted in the model's stats; empty when the model was retired meanwhile. */
  public InvocationResult invoke(Invocation invocation) throws InvalidInputException, InterruptedException {
    stats.started();
    boolean done = false;
    try {
      InvocationResult result = model.invoke(invocation);
      stats.completed(result.busyNanos());
      done = true;
      return result;
    } finally {
      if (!done) {
        stats.failedOne();
      }
    }
  }

  /** Holds the model for one request; false once it is retired. */
  synchronized boolean tryHold() {
    if (retired) {
      return false;
    }
    running++;
    return true;
  }

  synchronized void release() {
    running--;
    closeIfUnused();
  }

  synchronized void retire() {
    retired = true;
    closeIfUnused();
  }

  private void closeIfUnused() {
    if (retired && running == 0 && !closed) {
      closed = true;
      try {
        model.close();
        cacheHold.close();
        LOG.info("unloaded model={} version={}", request.name(), request.version());
      } catch (Exception e) {
        LOG.warn("unloading model={} version={} failed: {}", request.name(), request.version(), e.getMessage());
      }
    }
  }

  public String name() {
    return request.name();
  }

  public String version() {
    return request.version();
  }

  public String task() {
    return request.task();
  }

  public LoadRequest request() {
    return request;
  }

  public ServableModel model() {
    return model;
  }

  public ModelStats stats() {
    return stats;
  }

  public long memoryBytes() {
    return memoryBytes;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  public Duration loadTime() {
    return loadTime;
  }
}
