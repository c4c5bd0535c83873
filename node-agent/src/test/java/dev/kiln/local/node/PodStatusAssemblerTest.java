package dev.kiln.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStatusAssemblerTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");
  private static final Container APP = new ContainerBuilder().withName("app").withImage("app:1").build();
  private static final Container SIDECAR = new ContainerBuilder().withName("sidecar").withImage("side:1").build();

  @Test
  void podIsPendingUntilEveryContainerHasStarted() {
    assertThat(PodStatusAssembler.phase(List.of(running(APP, true), creating(SIDECAR)))).isEqualTo("Pending");
  }

  @Test
  void podIsRunningWhileAContainerWaitsToRestart() {
    ContainerStatus backingOff = ContainerStatuses.base(APP)
        .withState(ContainerStatuses.waiting("CrashLoopBackOff", "back-off"))
        .withLastState(ContainerStatuses.terminated("kiln-test://1", 1, T0, T1))
        .withRestartCount(1)
        .build();
    assertThat(PodStatusAssembler.phase(List.of(backingOff))).isEqualTo("Running");
  }

  @Test
  void podSucceedsOnlyWhenAllContainersExitZero() {
    assertThat(PodStatusAssembler.phase(List.of(exited(APP, 0), exited(SIDECAR, 0)))).isEqualTo("Succeeded");
    assertThat(PodStatusAssembler.phase(List.of(exited(APP, 0), exited(SIDECAR, 2)))).isEqualTo("Failed");
    assertThat(PodStatusAssembler.phase(List.of(exited(APP, 0), running(SIDECAR, true)))).isEqualTo("Running");
  }

  @Test
  void readyNeedsEveryContainerReadyAndNamesTheOnesThatAreNot() {
    PodStatus status = assemble(pod(), List.of(running(APP, true), running(SIDECAR, false)), T0);

    PodCondition ready = condition(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ContainersNotReady");
    assertThat(ready.getMessage()).contains("sidecar").doesNotContain("app,");
    assertThat(condition(status, "Initialized").getStatus()).isEqualTo("True");
    assertThat(status.getPodIP()).isEqualTo("127.0.1.9");
  }

  @Test
  void readinessGatesMustBeTrueForThePodToBeReady() {
    Pod gated = new PodBuilder(pod()).editSpec().addNewReadinessGate().withConditionType("kiln.dev/resident")
        .endReadinessGate().endSpec().build();

    PodCondition ready = condition(assemble(gated, List.of(running(APP, true)), T0), "Ready");

    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ReadinessGatesNotReady");
    assertThat(condition(assemble(gated, List.of(running(APP, true)), T0), "ContainersReady").getStatus())
        .isEqualTo("True");
  }

  @Test
  void lastTransitionTimeIsKeptWhileTheConditionDoesNotFlip() {
    PodStatus first = assemble(pod(), List.of(running(APP, true)), T0);
    Pod observed = new PodBuilder(pod()).withStatus(first).build();

    PodStatus unchanged = assemble(observed, List.of(running(APP, true)), T1);
    PodStatus flipped = assemble(observed, List.of(running(APP, false)), T1);

    assertThat(condition(unchanged, "Ready").getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(condition(flipped, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
  }

  private static PodStatus assemble(Pod pod, List<ContainerStatus> containers, Instant now) {
    return PodStatusAssembler.assemble(pod, containers, "127.0.1.9", "127.0.0.2", T0, now);
  }

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("n").endMetadata()
        .withNewSpec().withContainers(APP).endSpec().build();
  }

  private static ContainerStatus running(Container container, boolean ready) {
    return ContainerStatuses.base(container).withReady(ready).withStarted(true)
        .withState(ContainerStatuses.running(T0)).build();
  }

  private static ContainerStatus creating(Container container) {
    return ContainerStatuses.base(container).withState(ContainerStatuses.waiting("ContainerCreating", null)).build();
  }

  private static ContainerStatus exited(Container container, int exitCode) {
    return ContainerStatuses.base(container)
        .withState(ContainerStatuses.terminated("kiln-test://1", exitCode, T0, T1)).build();
  }

  private static PodCondition condition(PodStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }
}
