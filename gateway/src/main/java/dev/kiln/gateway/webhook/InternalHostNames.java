package dev.kiln.gateway.webhook;

import java.util.Optional;

/**
 * Host names that lead inside the cluster or the machine, refused by name before DNS is asked:
 * {@code localhost}, Kubernetes service names, {@code *.internal} (cloud metadata and private
 * zones, {@code metadata.google.internal} among them) and single-label names, which the cluster's
 * DNS search path completes to a service of the gateway's own namespace.
 */
final class InternalHostNames {

  private InternalHostNames() {}

  /**
   * What {@code host} is when it is internal, such as "a localhost name"; empty otherwise.
   *
   * @param host lower case, without a trailing dot
   */
  static Optional<String> kindOf(String host) {
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return Optional.of("a localhost name");
    }
    if (host.endsWith(".svc") || host.endsWith(".cluster.local")) {
      return Optional.of("a Kubernetes cluster-internal name");
    }
    if (host.endsWith(".internal")) {
      return Optional.of("an *.internal name, as cloud metadata services and private zones use");
    }
    if (!host.contains(".")) {
      return Optional.of("a single-label name, which the cluster's DNS resolves to a service next to the gateway");
    }
    return Optional.empty();
  }
}
