package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builders for container statuses in the shape the kubelet reports them. */
final class ContainerStatuses {

  static final String ID_SCHEME = "kiln-test://";

  private ContainerStatuses() {}

  static ContainerStatusBuilder base(Container container) {
    return new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID(ID_SCHEME + container.getImage())
        .withRestartCount(0)
        .withReady(false)
        .withStarted(false);
  }

  static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
  }

  static ContainerState running(Instant startedAt) {
    return new ContainerStateBuilder().withNewRunning().withStartedAt(time(startedAt)).endRunning().build();
  }

  static ContainerState terminated(String containerId, int exitCode, Instant startedAt, Instant finishedAt) {
    // 128 + n: the process died of signal n; Kubernetes reports any non-zero exit as "Error".
    return new ContainerStateBuilder().withNewTerminated()
        .withContainerID(containerId)
        .withExitCode(exitCode)
        .withReason(exitCode == 0 ? "Completed" : "Error")
        .withStartedAt(time(startedAt))
        .withFinishedAt(time(finishedAt))
        .endTerminated()
        .build();
  }

  /** RFC 3339 at whole seconds, as the API server stores times. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static boolean isRunning(ContainerStatus status) {
    return status.getState() != null && status.getState().getRunning() != null;
  }

  static boolean isTerminated(ContainerStatus status) {
    return status.getState() != null && status.getState().getTerminated() != null;
  }

  static boolean hasRunBefore(ContainerStatus status) {
    return status.getLastState() != null && status.getLastState().getTerminated() != null;
  }
}
