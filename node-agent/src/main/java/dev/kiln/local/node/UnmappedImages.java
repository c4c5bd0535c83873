package dev.kiln.local.node;

/** What the node agent does with a container whose image it has no command for. */
public enum UnmappedImages {
  /** The container stays Waiting with reason {@code ErrImagePull}, as with an image that cannot be pulled. */
  FAIL_PULL,
  /**
   * "Status-only" mode, for scale tests: the container is reported Running and Ready without any
   * process behind it. Nothing answers on the pod's address but the agent's
   * {@link StatusOnlyStandIn}, if it has one.
   */
  RUN_STATUS_ONLY
}
