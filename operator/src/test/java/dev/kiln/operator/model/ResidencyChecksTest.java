package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidencyChecksTest {

  private final ResidencyChecks checks = new ResidencyChecks();

  @Test
  void anEntryIsCheckedOnceUntilTheRuntimeRestarts() {
    Pod pod = pod("uid-a", 0);
    assertThat(checks.needed(pod, "echo")).isTrue();

    checks.confirmed(pod, "echo");

    assertThat(checks.needed(pod, "echo")).isFalse();
    assertThat(checks.needed(pod, "other")).isTrue();
    assertThat(checks.needed(pod("uid-b", 0), "echo")).isTrue();
    assertThat(checks.needed(pod("uid-a", 1), "echo")).isTrue();
  }

  @Test
  void entriesOfGonePodsAreForgotten() {
    checks.confirmed(pod("uid-a", 0), "echo");
    checks.confirmed(pod("uid-b", 0), "echo");
    checks.confirmed(pod("uid-a", 0), "other");

    checks.retain("echo", List.of(pod("uid-b", 0)));

    assertThat(checks.needed(pod("uid-a", 0), "echo")).isTrue();
    assertThat(checks.needed(pod("uid-b", 0), "echo")).isFalse();
    assertThat(checks.needed(pod("uid-a", 0), "other")).isFalse();
  }

  @Test
  void restartsAreSummedOverContainersAndZeroWithoutStatus() {
    Pod pod = new PodBuilder().withNewStatus()
        .addNewContainerStatus().withRestartCount(2).endContainerStatus()
        .addNewContainerStatus().withRestartCount(1).endContainerStatus()
        .endStatus().build();
    assertThat(ResidencyChecks.restarts(pod)).isEqualTo(3);
    assertThat(ResidencyChecks.restarts(new Pod())).isZero();
  }

  private static Pod pod(String uid, int restarts) {
    return new PodBuilder().withNewMetadata().withUid(uid).endMetadata()
        .withNewStatus().addNewContainerStatus().withRestartCount(restarts).endContainerStatus().endStatus()
        .build();
  }
}
