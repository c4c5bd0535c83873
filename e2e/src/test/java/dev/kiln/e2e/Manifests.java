package dev.kiln.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Applies a YAML manifest as {@code kubectl apply -n NAMESPACE -f} would. */
final class Manifests {

  private Manifests() {
  }

  static void apply(KubernetesClient client, Path manifest, String namespace) {
    try (InputStream yaml = Files.newInputStream(manifest)) {
      for (HasMetadata resource : client.load(yaml).items()) {
        resource.getMetadata().setNamespace(namespace);
        client.resource(resource).inNamespace(namespace).forceConflicts().serverSideApply();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(manifest + " could not be read", e);
    }
  }
}
