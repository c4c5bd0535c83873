package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIPBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a pod's status from its containers' statuses, following the kubelet's rules for the
 * phase and the Initialized, ContainersReady and Ready conditions. The PodScheduled condition
 * belongs to the scheduler and is left alone.
 */
final class PodStatusAssembler {

  private PodStatusAssembler() {}

  static PodStatus assemble(Pod pod, List<ContainerStatus> containers, String podIp, String hostIp,
      Instant startTime, Instant now) {
    String phase = phase(containers);
    List<String> unready = containers.stream()
        .filter(status -> !Boolean.TRUE.equals(status.getReady()))
        .map(ContainerStatus::getName)
        .toList();
    boolean containersReady = unready.isEmpty() && !containers.isEmpty();
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = terminal ? null : "containers with unready status: " + unready;
    List<String> falseGates = falseReadinessGates(pod);

    List<PodCondition> previous = pod.getStatus() == null ? List.of() : pod.getStatus().getConditions();
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition(previous, "PodReadyToStartContainers", true, null, null, now));
    conditions.add(condition(previous, "Initialized", true, null, null, now));
    conditions.add(condition(previous, "ContainersReady", containersReady && !terminal,
        notReadyReason, notReadyMessage, now));
    boolean ready = containersReady && !terminal && falseGates.isEmpty();
    conditions.add(condition(previous, "Ready", ready,
        containersReady && !terminal ? "ReadinessGatesNotReady" : notReadyReason,
        containersReady && !terminal ? "the status of pod readiness gates is not True: " + falseGates : notReadyMessage,
        now));

    return new PodStatusBuilder()
        .withPhase(phase)
        .withHostIP(hostIp)
        .withHostIPs(new HostIPBuilder().withIp(hostIp).build())
        .withPodIP(podIp)
        .withPodIPs(new PodIPBuilder().withIp(podIp).build())
        .withStartTime(ContainerStatuses.time(startTime))
        .withConditions(conditions)
        .withContainerStatuses(containers)
        .build();
  }

  /** Pending until every container has started once; Succeeded/Failed once all have stopped for good. */
  static String phase(List<ContainerStatus> containers) {
    long neverStarted = containers.stream()
        .filter(status -> !ContainerStatuses.isRunning(status) && !ContainerStatuses.isTerminated(status)
            && !ContainerStatuses.hasRunBefore(status))
        .count();
    if (neverStarted > 0 || containers.isEmpty()) {
      return "Pending";
    }
    boolean allStopped = containers.stream().allMatch(ContainerStatuses::isTerminated);
    if (!allStopped) {
      return "Running";
    }
    boolean allSucceeded = containers.stream()
        .allMatch(status -> status.getState().getTerminated().getExitCode() == 0);
    return allSucceeded ? "Succeeded" : "Failed";
  }

  private static List<String> falseReadinessGates(Pod pod) {
    List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
    if (gates == null || gates.isEmpty()) {
      return List.of();
    }
    List<PodCondition> conditions = pod.getStatus() == null ? List.of() : pod.getStatus().getConditions();
    return gates.stream()
        .map(PodReadinessGate::getConditionType)
        .filter(type -> conditions.stream().noneMatch(c -> c.getType().equals(type) && "True".equals(c.getStatus())))
        .toList();
  }

  private static PodCondition condition(List<PodCondition> previous, String type, boolean value, String reason,
      String message, Instant now) {
    String status = value ? "True" : "False";
    String since = previous.stream()
        .filter(condition -> condition.getType().equals(type) && condition.getStatus().equals(status))
        .map(PodCondition::getLastTransitionTime)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(ContainerStatuses.time(now));
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(value ? null : reason)
        .withMessage(value ? null : message)
        .withLastTransitionTime(since)
        .build();
  }
}
