package dev.kiln.crds;

import dev.kiln.local.controlplane.ClusterManifests;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Installs the generated CRDs on a control plane and waits until they serve. */
final class KilnCrdSupport {

  private KilnCrdSupport() {}

  static void install(KubernetesClient admin) {
    ClusterManifests.installCrds(admin, KilnCrds.NAMES.stream().map(KilnCrds::yaml).toList());
  }
}
