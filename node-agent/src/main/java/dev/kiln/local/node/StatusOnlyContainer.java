package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Status-only mode: reported Running and Ready, with no process behind it. */
final class StatusOnlyContainer implements ContainerHandle {

  private final Container container;
  private volatile Instant startedAt;
  private volatile Instant stoppedAt;

  StatusOnlyContainer(Container container) {
    this.container = container;
  }

  @Override
  public void start() {
    startedAt = Instant.now();
  }

  @Override
  public ContainerStatus status() {
    var status = ContainerStatuses.base(container);
    if (startedAt == null) {
      return status.withState(ContainerStatuses.waiting("ContainerCreating", null)).build();
    }
    String id = ContainerStatuses.ID_SCHEME + "status-only/" + container.getName();
    if (stoppedAt != null) {
      return status.withState(ContainerStatuses.terminated(id, 0, startedAt, stoppedAt)).build();
    }
    return status.withContainerID(id).withReady(true).withStarted(true)
        .withState(ContainerStatuses.running(startedAt)).build();
  }

  @Override
  public void stop(Duration gracePeriod) {
    stoppedAt = Instant.now();
  }

  @Override
  public Optional<ProcessHandle> process() {
    return Optional.empty();
  }
}
