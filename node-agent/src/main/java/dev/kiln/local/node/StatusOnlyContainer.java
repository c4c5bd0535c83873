package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Status-only mode: reported Running and Ready, with no process behind it; only its stand-in, if any, answers. */
final class StatusOnlyContainer implements ContainerHandle {

  private static final Logger LOG = LoggerFactory.getLogger(StatusOnlyContainer.class);

  private final Pod pod;
  private final Container container;
  private final String podIp;
  private final StatusOnlyStandIn standIn;
  private volatile AutoCloseable answering;
  private volatile Instant startedAt;
  private volatile Instant stoppedAt;

  StatusOnlyContainer(Pod pod, Container container, String podIp, StatusOnlyStandIn standIn) {
    this.pod = pod;
    this.container = container;
    this.podIp = podIp;
    this.standIn = standIn;
  }

  @Override
  public void start() {
    try {
      answering = standIn.start(pod, container, podIp);
    } catch (IOException e) {
      throw new UncheckedIOException("the stand-in of container " + container.getName() + " cannot answer on "
          + podIp, e);
    }
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
    AutoCloseable stopping = answering;
    answering = null;
    if (stopping != null) {
      try {
        stopping.close();
      } catch (Exception e) {
        LOG.warn("the stand-in of container {} on {} did not stop cleanly", container.getName(), podIp, e);
      }
    }
    stoppedAt = Instant.now();
  }

  @Override
  public Optional<ProcessHandle> process() {
    return Optional.empty();
  }
}
