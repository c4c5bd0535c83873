package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.time.Duration;
import java.util.Optional;

/** One container of a pod as the node agent runs it. */
interface ContainerHandle {

  void start();

  /** A snapshot of the container's status in the Kubernetes shape. */
  ContainerStatus status();

  /** Stops the container: SIGTERM, then SIGKILL once {@code gracePeriod} has passed. Blocks until stopped. */
  void stop(Duration gracePeriod);

  /** The running process, when there is one. */
  Optional<ProcessHandle> process();
}
