package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;

/**
 * What answers on a status-only container's behalf, if anything: for scale tests whose clients must
 * reach each pod (a fake of the container's API on the pod's address, say). It starts before the
 * container reports Running and Ready, so no client that sees the pod Ready finds nothing there, and
 * what it returns is closed when the container stops.
 */
@FunctionalInterface
public interface StatusOnlyStandIn {

  /** Nothing answers: the pod's address stays unbound. */
  StatusOnlyStandIn NONE = (pod, container, podIp) -> () -> {};

  /** Starts answering for {@code container} of {@code pod} on {@code podIp}; closing stops it. */
  AutoCloseable start(Pod pod, Container container, String podIp) throws IOException;
}
