package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Model reconciler's meters, tagged by namespace and model:
 * <ul>
 *   <li>{@code kiln_model_cold_start_seconds}: from a Model's creation to its first resident replica,
 *       and from the first request seen waiting for a model with no replica to its next one</li>
 *   <li>{@code kiln_model_scale_events_total}: changes of its desired replicas, by {@code direction}</li>
 *   <li>{@code kiln_model_loads_total}: loads on a worker, by {@code result} ({@code loaded}, or the
 *       failure's condition reason such as {@code SourceUnreachable})</li>
 *   <li>{@code kiln_model_unloads_total}: unloads from a worker, by {@code reason} ({@code idle},
 *       {@code scaled_down}, {@code evicted}, {@code deleted})</li>
 * </ul>
 */
final class ModelMetrics {

  /** Histogram buckets for cold starts: a synthetic model is warm in a second, a large download takes minutes. */
  private static final Duration[] COLD_START_BUCKETS = {
      Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
      Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30)};

  private final MeterRegistry registry;
  /** Models (by UID) whose cold start this operator recorded; a cached Model may not show the load yet. */
  private final Set<String> coldStarted = ConcurrentHashMap.newKeySet();
  /** When requests were first seen waiting for each model (by UID) that has no replica. */
  private final Map<String, Instant> waitingSince = new ConcurrentHashMap<>();

  ModelMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Notes, at {@code at}, whether requests wait for {@code model} while it has no replica: the
   * first such sample starts a cold start that its next warm replica ends; requests that go away
   * unserved (cancelled, timed out) end it unrecorded.
   */
  void noReplica(Model model, boolean waiting, Instant at) {
    if (waiting) {
      waitingSince.putIfAbsent(model.getMetadata().getUid(), at);
    } else {
      waitingSince.remove(model.getMetadata().getUid());
    }
  }

  /**
   * Records {@code model}'s cold start, warm {@code at}: from the first request that waited for it
   * with no replica, else from its creation unless it was warm before (recorded here already, or its
   * status shows a load by an earlier operator, before a restart or failover).
   */
  void warm(Model model, Instant at) {
    String uid = model.getMetadata().getUid();
    Instant waited = waitingSince.remove(uid);
    boolean first = !loadedBefore(model.getStatus()) && coldStarted.add(uid);
    if (waited != null) {
      coldStart(model, Duration.between(waited, at));
    } else if (first) {
      coldStart(model, Duration.between(Instant.parse(model.getMetadata().getCreationTimestamp()), at));
    }
  }

  private void coldStart(Model model, Duration took) {
    Timer.builder("kiln.model.cold.start")
        .description("Time from a Model's creation, or from the first request waiting for it with no replica, to its"
            + " first resident replica")
        .tags("namespace", model.getMetadata().getNamespace(), "model", model.getMetadata().getName())
        .serviceLevelObjectives(COLD_START_BUCKETS)
        .register(registry)
        .record(took);
  }

  void scaled(Model model, ScaleChange change) {
    Counter.builder("kiln.model.scale.events")
        .description("Changes of a Model's desired replicas")
        .tags("namespace", model.getMetadata().getNamespace(), "model", model.getMetadata().getName(),
            "direction", change.direction())
        .register(registry)
        .increment();
  }

  void loaded(Model model) {
    loads(model, "loaded");
  }

  void loadFailed(Model model, LoadFailure failure) {
    loads(model, failure.reason().reason());
  }

  private void loads(Model model, String result) {
    Counter.builder("kiln.model.loads")
        .description("Loads of a Model on a worker, by result")
        .tags("namespace", model.getMetadata().getNamespace(), "model", model.getMetadata().getName(), "result", result)
        .register(registry)
        .increment();
  }

  void unloaded(Model model, UnloadReason reason) {
    Counter.builder("kiln.model.unloads")
        .description("Unloads of a Model from a worker, by reason")
        .tags("namespace", model.getMetadata().getNamespace(), "model", model.getMetadata().getName(), "reason", reason.tag())
        .register(registry)
        .increment();
  }

  /** Forgets a deleted model. */
  void forget(Model model) {
    coldStarted.remove(model.getMetadata().getUid());
    waitingSince.remove(model.getMetadata().getUid());
  }

  private static boolean loadedBefore(ModelStatus status) {
    return status != null && (status.getLastLoadTime() != null
        || status.getResidentReplicas() != null && status.getResidentReplicas() > 0);
  }
}
