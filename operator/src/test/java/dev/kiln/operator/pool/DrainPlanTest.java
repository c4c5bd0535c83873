package dev.kiln.operator.pool;

import static dev.kiln.operator.pool.PoolFixtures.terminating;
import static dev.kiln.operator.pool.PoolFixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.worker.ResidencyAnnotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainPlanTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void onlyReadyWorkersAreDrainedBeforeTheyGo() {
    assertThat(DrainPlan.drainsFirst(worker("w-ready", "2026-01-01T00:00:00Z", "Running", true))).isTrue();
    assertThat(DrainPlan.drainsFirst(worker("w-pending", "2026-01-01T00:00:00Z", "Pending", false))).isFalse();
    assertThat(DrainPlan.drainsFirst(worker("w-failed", "2026-01-01T00:00:00Z", "Failed", true))).isFalse();
  }

  @Test
  void aWorkerMayGoOnceItsModelsHaveTheirReplicasOnOtherActiveWorkers() {
    Pod leaving = draining(holding(worker("w-leaving", "2026-01-01T00:05:00Z", "Running", true), "hot=v1"));
    Pod other = holding(worker("w-other", "2026-01-01T00:00:00Z", "Running", true), "hot=v1");

    assertThat(DrainPlan.mayGo(leaving, List.of(leaving, other), Map.of("hot", 1))).isTrue();
    assertThat(DrainPlan.mayGo(leaving, List.of(leaving, other), Map.of("hot", 2))).isFalse();
  }

  @Test
  void replicasOnNotReadyDrainingOrDeletedWorkersDoNotCount() {
    Pod leaving = draining(holding(worker("w-leaving", "2026-01-01T00:05:00Z", "Running", true), "hot=v1"));
    Pod starting = holding(worker("w-starting", "2026-01-01T00:00:00Z", "Running", false), "hot=v1");
    Pod alsoDraining = draining(holding(worker("w-draining", "2026-01-01T00:00:00Z", "Running", true), "hot=v1"));
    Pod deleted = terminating(holding(worker("w-deleted", "2026-01-01T00:00:00Z", "Running", true), "hot=v1"));

    assertThat(DrainPlan.mayGo(leaving, List.of(leaving, starting, alsoDraining, deleted), Map.of("hot", 1))).isFalse();
  }

  @Test
  void aModelNoLongerWantedDoesNotHoldItsWorker() {
    Pod leaving = draining(holding(worker("w-leaving", "2026-01-01T00:05:00Z", "Running", true), "gone=v1"));
    Pod empty = draining(worker("w-empty", "2026-01-01T00:05:00Z", "Running", true));

    assertThat(DrainPlan.mayGo(leaving, List.of(leaving), Map.of())).isTrue();
    assertThat(DrainPlan.mayGo(empty, List.of(empty), Map.of("hot", 3))).isTrue();
  }

  @Test
  void aDrainedWorkerGoesWhenIdleOrAtTheTimeout() {
    Duration timeout = Duration.ofSeconds(30);
    assertThat(DrainPlan.finished(0, T0, T0, timeout)).isTrue();
    assertThat(DrainPlan.finished(2, T0, T0.plusSeconds(29), timeout)).isFalse();
    assertThat(DrainPlan.finished(2, T0, T0.plusSeconds(30), timeout)).isTrue();
  }

  @Test
  void whenDemandComesBackTheOldestDrainingWorkersThatStillAcceptWorkAreTakenBack() {
    Pod active = worker("w-active", "2026-01-01T00:00:00Z", "Running", true);
    Pod oldDraining = draining(worker("w-old", "2026-01-01T00:01:00Z", "Running", true));
    Pod newDraining = draining(worker("w-new", "2026-01-01T00:02:00Z", "Running", true));
    Pod drained = drainRequested(draining(worker("w-drained", "2026-01-01T00:00:30Z", "Running", true)));
    List<Pod> pods = List.of(active, newDraining, drained, oldDraining);

    assertThat(DrainPlan.toUnmark(pods, 1, "")).isEmpty();
    assertThat(DrainPlan.toUnmark(pods, 2, "")).containsExactly(oldDraining);
    assertThat(DrainPlan.toUnmark(pods, 4, "")).containsExactly(oldDraining, newDraining);
    assertThat(DrainPlan.drainRequested(drained)).isTrue();
    assertThat(DrainPlan.drainRequested(oldDraining)).isFalse();
  }

  private static Pod holding(Pod pod, String resident) {
    return new PodBuilder(pod).editMetadata().addToAnnotations(ResidencyAnnotations.RESIDENT, resident).endMetadata().build();
  }

  private static Pod draining(Pod pod) {
    return new PodBuilder(pod).editMetadata().addToAnnotations(WorkerPods.DRAINING, T0.toString()).endMetadata().build();
  }

  private static Pod drainRequested(Pod pod) {
    return new PodBuilder(pod).editMetadata().addToAnnotations(DrainPlan.DRAIN_REQUESTED, T0.toString()).endMetadata().build();
  }
}
