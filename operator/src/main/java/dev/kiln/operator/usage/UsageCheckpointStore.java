package dev.kiln.operator.usage;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Keeps the usage checkpoint in the ConfigMap {@value #NAME} of the operator's namespace, applied
 * server-side as field manager {@value #FIELD_MANAGER}.
 */
public final class UsageCheckpointStore {

  public static final String NAME = "kiln-usage";
  static final String FIELD_MANAGER = "kiln-usage";

  private final KubernetesClient client;
  private final String namespace;

  public UsageCheckpointStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** The stored checkpoint; an empty one when none has been stored yet. */
  public UsageCheckpoint read() {
    ConfigMap stored = client.configMaps().inNamespace(namespace).withName(NAME).get();
    return UsageCheckpoint.fromData(stored == null ? null : stored.getData());
  }

  public void write(UsageCheckpoint checkpoint) {
    ConfigMap configMap = new ConfigMapBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(namespace)
        .addToLabels("app.kubernetes.io/part-of", "kiln")
        .endMetadata()
        .withData(checkpoint.toData())
        .build();
    client.resource(configMap).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  public String namespace() {
    return namespace;
  }
}
