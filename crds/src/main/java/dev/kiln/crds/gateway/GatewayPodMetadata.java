package dev.kiln.crds.gateway;

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

  private GatewayPodMetadata() {}
}
