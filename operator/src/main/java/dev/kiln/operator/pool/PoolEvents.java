package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPool;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core/v1 Events on a GpuPool, for {@code kubectl describe}. Best effort: a failed write is logged, not raised. */
final class PoolEvents {

  static final String WORKER_DRAINING = "WorkerDraining";
  static final String WORKER_REMOVED = "WorkerRemoved";

  private static final Logger log = LoggerFactory.getLogger(PoolEvents.class);
  private static final String COMPONENT = "kiln-operator";

  private final KubernetesClient client;
  private final Clock clock;

  PoolEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void normal(GpuPool pool, String reason, String message) {
    record(pool, "Normal", reason, message);
  }

  private void record(GpuPool pool, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
          .withNamespace(pool.getMetadata().getNamespace())
          .withName(pool.getMetadata().getName() + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(pool.getApiVersion())
            .withKind(pool.getKind())
            .withNamespace(pool.getMetadata().getNamespace())
            .withName(pool.getMetadata().getName())
            .withUid(pool.getMetadata().getUid())
            .withResourceVersion(pool.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(pool.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn("event not recorded pool={} reason={}: {}", pool.getMetadata().getName(), reason, e.getMessage());
    }
  }
}
