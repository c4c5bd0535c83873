package dev.kiln.operator.pool;

import static dev.kiln.operator.pool.PoolFixtures.pool;
import static dev.kiln.operator.pool.PoolFixtures.unschedulable;
import static dev.kiln.operator.pool.PoolFixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.gpupool.GpuPoolSpec;
import dev.kiln.crds.gpupool.RolloutStrategy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {

  private static final String OLD = "aaaaaaaaaa";
  private static final String NEW = "bbbbbbbbbb";
  private static final Instant NOW = Instant.parse("2026-01-01T00:05:00Z");
  private static final Pod OLD_1 = made(OLD, worker("alpha-old-1", "2026-01-01T00:00:00Z", "Running", true));
  private static final Pod OLD_2 = made(OLD, worker("alpha-old-2", "2026-01-01T00:00:10Z", "Running", true));

  @Test
  void aPoolWhoseWorkersAreAllCurrentHasNothingToRoll() {
    RolloutPlan plan = RolloutPlan.of(List.of(OLD_1, OLD_2), OLD, 2, spec(1, 0), NOW);

    assertThat(plan).isEqualTo(new RolloutPlan(0, List.of(), List.of(), 2, 0, java.util.Optional.empty()));
    assertThat(plan.complete()).isTrue();
  }

  @Test
  void aChangedTemplateFirstStartsOneSurgeWorkerAndDrainsNothing() {
    RolloutPlan plan = RolloutPlan.of(List.of(OLD_1, OLD_2), NEW, 2, spec(1, 0), NOW);

    assertThat(plan.surge()).isEqualTo(1);
    assertThat(plan.toRetire()).isEmpty();
    assertThat(plan.toRemove()).isEmpty();
    assertThat(plan.updated()).isZero();
    assertThat(plan.outdated()).isEqualTo(2);
  }

  @Test
  void whileTheSurgeWorkerStartsTheOldOnesKeepServing() {
    Pod starting = made(NEW, worker("alpha-new-1", "2026-01-01T00:04:00Z", "Pending", false));

    RolloutPlan plan = RolloutPlan.of(List.of(OLD_1, OLD_2, starting), NEW, 2, spec(1, 0), NOW);

    assertThat(plan.surge()).isEqualTo(1);
    assertThat(plan.toRetire()).isEmpty();
    assertThat(plan.stuck()).isEmpty();
  }

  @Test
  void onceTheSurgeWorkerIsReadyTheOldestOldWorkerDrains() {
    Pod ready = made(NEW, worker("alpha-new-1", "2026-01-01T00:04:00Z", "Running", true));

    RolloutPlan plan = RolloutPlan.of(List.of(OLD_2, ready, OLD_1), NEW, 2, spec(1, 0), NOW);

    assertThat(plan.toRetire()).containsExactly(OLD_1);
    assertThat(plan.surge()).as("the worker drained now uses the surge budget").isZero();
    assertThat(plan.updated()).isEqualTo(1);
  }

  @Test
  void aDrainingOldWorkerUsesTheSurgeBudgetUntilItIsGone() {
    Pod ready = made(NEW, worker("alpha-new-1", "2026-01-01T00:04:00Z", "Running", true));

    RolloutPlan plan = RolloutPlan.of(List.of(draining(OLD_1), OLD_2, ready), NEW, 2, spec(1, 0), NOW);

    assertThat(plan.surge()).isZero();
    assertThat(plan.toRetire()).as("one Ready worker short of desired plus surge: wait").isEmpty();
  }

  @Test
  void withoutSurgeAnOldWorkerDrainsFirstWithinMaxUnavailable() {
    RolloutPlan plan = RolloutPlan.of(List.of(OLD_1, OLD_2), NEW, 2, spec(0, 1), NOW);

    assertThat(plan.surge()).isZero();
    assertThat(plan.toRetire()).containsExactly(OLD_1);
  }

  @Test
  void oldWorkersThatAreNotReadyGoAtOnce() {
    Pod crashed = made(OLD, worker("alpha-old-3", "2026-01-01T00:00:20Z", "Running", false));

    RolloutPlan plan = RolloutPlan.of(List.of(OLD_1, OLD_2, crashed), NEW, 3, spec(1, 0), NOW);

    assertThat(plan.toRemove()).containsExactly(crashed);
  }

  @Test
  void aNewWorkerNotReadyPastTheDeadlineStopsTheRolloutAndSaysWhy() {
    Pod broken = made(NEW, new PodBuilder(worker("alpha-new-1", "2026-01-01T00:04:00Z", "Pending", false))
        .editStatus().addNewContainerStatus().withName("runtime").withNewState().withNewWaiting()
        .withReason("ErrImagePull").withMessage("no such image").endWaiting().endState().endContainerStatus()
        .endStatus().build());
    GpuPoolSpec spec = spec(1, 1);
    spec.getRollout().setProgressDeadline("30s");

    RolloutPlan plan = RolloutPlan.of(List.of(OLD_1, OLD_2, broken), NEW, 2, spec, NOW);

    assertThat(plan.stuck()).hasValueSatisfying(why -> assertThat(why)
        .contains("alpha-new-1", "not Ready after 30s", "ErrImagePull no such image"));
    assertThat(plan.surge()).as("keeps the surge worker, starts no other").isEqualTo(1);
    assertThat(plan.toRetire()).as("even maxUnavailable drains nothing while stuck").isEmpty();
  }

  @Test
  void anOldWorkerWhoseModelsDoNotLoadElsewhereInTimeStopsTheRollout() {
    Pod ready = made(NEW, worker("alpha-new-1", "2026-01-01T00:01:00Z", "Running", true));
    Pod waiting = new PodBuilder(OLD_1).editMetadata().addToAnnotations(WorkerPods.DRAINING, "2026-01-01T00:02:00Z")
        .endMetadata().build();
    GpuPoolSpec spec = spec(1, 0);
    spec.getRollout().setProgressDeadline("1m");

    RolloutPlan plan = RolloutPlan.of(List.of(waiting, OLD_2, ready), NEW, 2, spec, NOW);

    assertThat(plan.stuck()).hasValueSatisfying(why -> assertThat(why)
        .contains("alpha-old-1", "waited over 60s", "LoadFailed"));
    assertThat(plan.toRetire()).isEmpty();
  }

  @Test
  void anUnschedulableNewWorkerStopsTheRolloutAtOnce() {
    Pod pending = made(NEW, unschedulable("alpha-new-1", "0/3 nodes have the GPUs"));

    RolloutPlan plan = RolloutPlan.of(List.of(OLD_1, OLD_2, pending), NEW, 2, spec(1, 0), NOW);

    assertThat(plan.stuck()).hasValueSatisfying(why -> assertThat(why).contains("cannot be scheduled", "0/3 nodes"));
  }

  @Test
  void revertingMakesTheOldWorkersCurrentAndTheUnreadySurgeWorkerGoes() {
    Pod broken = made(NEW, worker("alpha-new-1", "2026-01-01T00:04:00Z", "Pending", false));

    RolloutPlan plan = RolloutPlan.of(List.of(OLD_1, OLD_2, broken), OLD, 2, spec(1, 0), NOW);

    assertThat(plan.toRemove()).containsExactly(broken);
    assertThat(plan.surge()).isZero();
    assertThat(plan.updated()).isEqualTo(2);
    assertThat(plan.stuck()).isEmpty();
  }

  @Test
  void aPausedPoolRollsNothing() {
    GpuPoolSpec spec = spec(1, 1);
    spec.setPaused(true);
    Pod crashed = made(OLD, worker("alpha-old-3", "2026-01-01T00:00:20Z", "Running", false));

    RolloutPlan plan = RolloutPlan.of(List.of(OLD_1, OLD_2, crashed), NEW, 3, spec, NOW);

    assertThat(plan.surge()).isZero();
    assertThat(plan.toRetire()).isEmpty();
    assertThat(plan.toRemove()).isEmpty();
    assertThat(plan.outdated()).isEqualTo(3);
  }

  @Test
  void workersFromBeforeTemplateHashesAreRolled() {
    Pod unlabelled = worker("alpha-legacy", "2026-01-01T00:00:00Z", "Running", true);

    assertThat(RolloutPlan.of(List.of(unlabelled), NEW, 1, spec(1, 0), NOW).outdated()).isEqualTo(1);
  }

  private static GpuPoolSpec spec(int maxSurge, int maxUnavailable) {
    GpuPoolSpec spec = pool(0, 2, 0, 4).getSpec();
    RolloutStrategy rollout = new RolloutStrategy();
    rollout.setMaxSurge(maxSurge);
    rollout.setMaxUnavailable(maxUnavailable);
    spec.setRollout(rollout);
    return spec;
  }

  private static Pod made(String hash, Pod pod) {
    return new PodBuilder(pod).editMetadata().addToLabels(PoolLabels.TEMPLATE_HASH, hash).endMetadata().build();
  }

  private static Pod draining(Pod pod) {
    return new PodBuilder(pod).editMetadata().addToAnnotations(WorkerPods.DRAINING, "2026-01-01T00:04:30Z").endMetadata()
        .build();
  }
}
