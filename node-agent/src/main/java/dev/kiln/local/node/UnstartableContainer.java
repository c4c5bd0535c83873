package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * A container that cannot start: its image has no local command ({@code ErrImagePull}) or its
 * spec cannot be satisfied ({@code CreateContainerConfigError}). It stays Waiting with the reason.
 */
final class UnstartableContainer implements ContainerHandle {

  private final Container container;
  private final String reason;
  private final String message;

  UnstartableContainer(Container container, String reason, String message) {
    this.container = container;
    this.reason = reason;
    this.message = message;
  }

  @Override
  public void start() {}

  @Override
  public ContainerStatus status() {
    return ContainerStatuses.base(container).withState(ContainerStatuses.waiting(reason, message)).build();
  }

  @Override
  public void stop(Duration gracePeriod) {}

  @Override
  public Optional<ProcessHandle> process() {
    return Optional.empty();
  }
}
