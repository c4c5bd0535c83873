package dev.kiln.crds.gateway;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * The labels and ports of a gateway pod that the chart writes and others read: the operator finds
 * the gateways it reads demand from, and each gateway replica its peers, by {@link #NAME}.
 */
public final class GatewayPodMetadata {

  public static final String NAME_LABEL = "app.kubernetes.io/name";
  /** The value of {@link #NAME_LABEL} on the gateway's pods. */
  public static final String NAME = "kiln-gateway";
  /** The name of the container port the queue listener is published on. */
  public static final String QUEUE_PORT = "queue";
  /** The name of the container port of the plain-http ops listener, where the autoscaler reads {@code /stats}. */
  public static final String OPS_PORT = "ops";

  /** The port named {@code name} in {@code pod}'s containers, if any. */
  public static Optional<Integer> namedPort(Pod pod, String name) {
    return pod.getSpec() == null ? Optional.empty() : pod.getSpec().getContainers().stream()
        .flatMap(container -> container.getPorts().stream())
        .filter(port -> name.equals(port.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst();
  }

  private GatewayPodMetadata() {}
}
