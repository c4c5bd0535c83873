package dev.kiln.gateway.routing;

import static org.awaitility.Awaitility.await;

import dev.kiln.crds.KilnCrds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Installs the crds module's generated CRDs on the test control plane and waits until they serve. */
final class KilnCrdInstaller {

  private KilnCrdInstaller() {}

  static void install(KubernetesClient admin) {
    for (String name : KilnCrds.NAMES) {
      CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
          .load(new ByteArrayInputStream(KilnCrds.yaml(name).getBytes(StandardCharsets.UTF_8))).item();
      admin.resource(crd).forceConflicts().serverSideApply();
    }
    for (String name : KilnCrds.NAMES) {
      await(name + " established").atMost(Duration.ofSeconds(30)).until(() ->
          admin.apiextensions().v1().customResourceDefinitions().withName(name).get()
              .getStatus().getConditions().stream()
              .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
    }
  }
}
