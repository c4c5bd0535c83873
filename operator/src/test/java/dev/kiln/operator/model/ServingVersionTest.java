package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServingVersionTest {

  @Test
  void aModelWithoutAnOlderVersionServesItsOwn() {
    ServingVersion serving = ServingVersion.of("m", "new", null, List.of(worker("w-1", "new", null, true)), Set.of(), 2,
        false);

    assertThat(serving).isEqualTo(new ServingVersion("new", List.of("w-1"), 1));
  }

  @Test
  void theOldVersionServesUntilTheNewOneIsWarmOnTheTargetReplicas() {
    List<Pod> pods = List.of(worker("w-1", "old", "new", true), worker("w-2", "old", null, true));

    ServingVersion serving = ServingVersion.of("m", "new", "old", pods, Set.of(), 2, false);

    assertThat(serving).isEqualTo(new ServingVersion("old", List.of("w-1", "w-2"), 1));
  }

  @Test
  void requestsSwitchOnceTheNewVersionIsStagedOnEveryTargetReplica() {
    List<Pod> pods = List.of(worker("w-1", "old", "new", true), worker("w-2", "old", null, true));

    ServingVersion serving = ServingVersion.of("m", "new", "old", pods, Set.of("w-2"), 2, false);

    assertThat(serving).as("w-2 was staged in this reconcile").isEqualTo(new ServingVersion("new", List.of("w-1", "w-2"), 2));
    assertThat(serving.switchedFrom("old")).isTrue();
  }

  @Test
  void aPausedRolloutKeepsTheOldVersionServingWhileAnythingServesIt() {
    List<Pod> pods = List.of(worker("w-1", "old", "new", true), worker("w-2", "old", "new", true));

    assertThat(ServingVersion.of("m", "new", "old", pods, Set.of(), 2, true).version()).isEqualTo("old");
    assertThat(ServingVersion.of("m", "new", "old", List.of(worker("w-1", "new", null, true)), Set.of(), 2, true)
        .version()).as("nothing serves the old one").isEqualTo("new");
  }

  @Test
  void withNothingServingTheOldVersionTheNewOneServesAtOnce() {
    List<Pod> pods = List.of(worker("w-1", "new", null, true), worker("w-2", "old", null, false));

    assertThat(ServingVersion.of("m", "new", "old", pods, Set.of(), 2, false).version()).isEqualTo("new");
  }

  @Test
  void workersNotReadyOrTakenOutOfRoutingServeNothing() {
    Pod drained = new PodBuilder(worker("w-2", "new", null, true)).editMetadata()
        .addToAnnotations("kiln.dev/drain-requested", "2026-01-01T00:00:00Z").endMetadata().build();
    List<Pod> pods = List.of(worker("w-1", "old", null, true), drained, worker("w-3", "new", null, false));

    ServingVersion serving = ServingVersion.of("m", "new", "old", pods, Set.of("w-3"), 1, false);

    assertThat(serving).isEqualTo(new ServingVersion("old", List.of("w-1"), 0));
    assertThat(serving.switchedFrom("old")).isFalse();
  }

  private static Pod worker(String name, String resident, String staged, boolean ready) {
    PodBuilder pod = new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("ml").addToAnnotations("kiln.dev/resident-models", "m=" + resident)
        .endMetadata()
        .withNewStatus().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus();
    if (staged != null) {
      pod.editMetadata().addToAnnotations("kiln.dev/staged-models", "m=" + staged).endMetadata();
    }
    return pod.build();
  }
}
