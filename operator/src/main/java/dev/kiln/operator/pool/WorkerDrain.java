package dev.kiln.operator.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.operator.runtime.WorkerAdminException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link DrainPlan} on a pool's worker pods: marks, takes back, drains and finally
 * deletes them. Each step is one merge patch or call per reconcile; the waits are reschedules.
 */
final class WorkerDrain {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(WorkerDrain.class);
  /** How long the gateways are given to see a worker taken out of routing before its runtime refuses new work. */
  static final Duration ROUTING_GRACE = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final WorkerAdminClient admin;
  private final PoolEvents events;
  private final Clock clock;
  private final Duration timeout;

  /** @param timeout how long a drained runtime may take to finish what it has in flight */
  WorkerDrain(KubernetesClient client, WorkerAdminClient admin, Clock clock, Duration timeout) {
    this.client = client;
    this.admin = admin;
    this.events = new PoolEvents(client, clock);
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Marks {@code pod} draining, saying why in an Event. */
  void mark(GpuPool pool, Pod pod, String why) {
    annotate(pod, WorkerPods.DRAINING, clock.instant().toString());
    events.normal(pool, PoolEvents.WORKER_DRAINING, why);
  }

  void unmark(Pod pod) {
    annotate(pod, WorkerPods.DRAINING, null);
    log.info("worker taken back pool={} pod={}", pod.getMetadata().getLabels().get(PoolLabels.POOL), name(pod));
  }

  /**
   * Moves a draining worker one step on: once no model needs it, takes it out of the gateways'
   * routing ({@value DrainPlan#DRAIN_REQUESTED}); a moment later asks its runtime to drain; once
   * that runtime is idle or the timeout passed, deletes it.
   *
   * @return whether the worker is still there and needs another look
   */
  boolean advance(GpuPool pool, Pod pod, List<Pod> pods, Map<String, Integer> targetReplicas) {
    if (!DrainPlan.drainRequested(pod)) {
      if (!DrainPlan.mayGo(pod, pods, targetReplicas)) {
        return true;
      }
      annotate(pod, DrainPlan.DRAIN_REQUESTED, clock.instant().toString());
      return true;
    }
    Instant requested = Instant.parse(DrainPlan.annotation(pod, DrainPlan.DRAIN_REQUESTED));
    if (clock.instant().isBefore(requested.plus(ROUTING_GRACE))) {
      return true;
    }
    URI runtime = WorkerAdminClient.worker(pod.getStatus().getPodIP());
    try {
      admin.drain(runtime);
    } catch (WorkerAdminException | RuntimeException e) {
      // A runtime that cannot be drained holds nothing the pool can wait for beyond the timeout.
      if (!DrainPlan.finished(-1, requested, clock.instant(), timeout)) {
        log.warn("drain refused pod={}: {}", name(pod), e.getMessage());
        return true;
      }
      remove(pool, pod, "worker " + name(pod) + " removed: its runtime could not be drained: " + e.getMessage());
      return false;
    }
    int inFlight;
    try {
      inFlight = admin.inFlight(runtime);
    } catch (WorkerAdminException | RuntimeException e) {
      inFlight = -1; // unknown: waited out like a busy runtime
    }
    if (!DrainPlan.finished(inFlight, requested, clock.instant(), timeout)) {
      return true;
    }
    remove(pool, pod, inFlight == 0
        ? "worker " + name(pod) + " removed: drained"
        : "worker " + name(pod) + " removed: drain timed out with " + (inFlight < 0 ? "unknown" : inFlight) + " in flight");
    return false;
  }

  private void remove(GpuPool pool, Pod pod, String reason) {
    client.resource(pod).delete();
    log.info("worker deleted pool={} pod={} ({})", pool.getMetadata().getName(), name(pod), reason);
    events.normal(pool, PoolEvents.WORKER_REMOVED, reason);
  }

  private void annotate(Pod pod, String key, String value) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(key, value); // null removes it
    String patch;
    try {
      patch = JSON.writeValueAsString(Map.of("metadata", Map.of("annotations", annotations)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an annotation patch always serializes", e);
    }
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name(pod))
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }
}
