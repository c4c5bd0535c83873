package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.operator.status.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** The Events recorded on a GpuPool, for {@code kubectl describe}. */
final class PoolEvents {

  static final String WORKER_DRAINING = "WorkerDraining";
  static final String WORKER_REMOVED = "WorkerRemoved";
  static final String WORKER_CREATED = "WorkerCreated";

  private final EventRecorder events;

  PoolEvents(KubernetesClient client, Clock clock) {
    this.events = new EventRecorder(client, clock);
  }

  void normal(GpuPool pool, String reason, String message) {
    events.normal(pool, reason, message);
  }

  void warning(GpuPool pool, String reason, String message) {
    events.warning(pool, reason, message);
  }
}
