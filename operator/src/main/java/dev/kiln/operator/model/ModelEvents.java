package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core/v1 Events on a Model, for {@code kubectl describe}. Best effort: a failed write is logged, not raised. */
final class ModelEvents {

  static final String LOADED = "Loaded";
  static final String UNLOADED = "Unloaded";
  static final String LOAD_FAILED = "LoadFailed";

  private static final Logger log = LoggerFactory.getLogger(ModelEvents.class);
  private static final String COMPONENT = "kiln-operator";

  private final KubernetesClient client;
  private final Clock clock;

  ModelEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void normal(Model model, String reason, String message) {
    record(model, "Normal", reason, message);
  }

  void warning(Model model, String reason, String message) {
    record(model, "Warning", reason, message);
  }

  private void record(Model model, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
          .withNamespace(model.getMetadata().getNamespace())
          .withName(model.getMetadata().getName() + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(model.getApiVersion())
            .withKind(model.getKind())
            .withNamespace(model.getMetadata().getNamespace())
            .withName(model.getMetadata().getName())
            .withUid(model.getMetadata().getUid())
            .withResourceVersion(model.getMetadata().getResourceVersion())
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
      client.v1().events().inNamespace(model.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn("event not recorded model={} reason={}: {}", model.getMetadata().getName(), reason, e.getMessage());
    }
  }
}
