package dev.kiln.operator.pool;

import static dev.kiln.operator.pool.PoolFixtures.pool;
import static dev.kiln.operator.pool.PoolFixtures.unschedulable;
import static dev.kiln.operator.pool.PoolFixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolStatusTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.250Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");
  private static final Pod READY_1 = worker("alpha-1", "2026-01-01T00:00:00Z", "Running", true);
  private static final Pod READY_2 = worker("alpha-2", "2026-01-01T00:00:00Z", "Running", true);
  private static final Pod STARTING = worker("alpha-3", "2026-01-01T00:00:00Z", "Pending", false);

  @Test
  void aPoolWithAllItsWorkersReadyIsReadyAndSteady() {
    GpuPoolStatus status = status(pool(1, 2, 0, 4), 2, List.of(READY_1, READY_2), Optional.empty(), T0);

    assertThat(status.getObservedGeneration()).isEqualTo(4L);
    assertThat(status.getDesiredWorkers()).isEqualTo(2);
    assertThat(status.getCurrentWorkers()).isEqualTo(2);
    assertThat(status.getReadyWorkers()).isEqualTo(2);
    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason, Condition::getLastTransitionTime)
        .containsExactly("True", "AsDesired", "2026-01-01T00:00:00Z");
    assertThat(condition(status, "Scaling").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void aGrowingPoolIsScalingUpAndNotReady() {
    GpuPoolStatus status = status(pool(1, 3, 0, 4), 3, List.of(READY_1, STARTING), Optional.empty(), T0);

    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", "WorkersStarting", "1/3 workers ready");
    assertThat(condition(status, "Scaling")).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", "ScalingUp");
  }

  @Test
  void aShrinkingPoolIsScalingDown() {
    GpuPoolStatus status = status(pool(1, 1, 0, 4), 1, List.of(READY_1, READY_2), Optional.empty(), T0);

    assertThat(condition(status, "Scaling")).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", "ScalingDown");
  }

  @Test
  void anUnschedulableWorkerDegradesThePoolWithTheSchedulersMessage() {
    String message = "0/2 nodes are available: 2 Insufficient nvidia.com/gpu.";
    GpuPoolStatus status = status(pool(8, 1, 0, 1), 1, List.of(unschedulable("alpha-x", message)), Optional.empty(), T0);

    assertThat(condition(status, "Degraded")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("True", "WorkersUnschedulable", "alpha-x: " + message);
    assertThat(condition(status, "Ready").getReason()).isEqualTo("WorkersUnschedulable");
  }

  @Test
  void keepsTransitionTimesUntilAConditionFlips() {
    GpuPool pool = pool(1, 2, 0, 4);
    pool.setStatus(status(pool, 2, List.of(READY_1, STARTING), Optional.empty(), T0));

    GpuPoolStatus same = status(pool, 2, List.of(READY_1, STARTING), Optional.empty(), T1);
    assertThat(PoolStatus.same(same, pool.getStatus())).isTrue();

    GpuPoolStatus ready = status(pool, 2, List.of(READY_1, READY_2), Optional.empty(), T1);
    assertThat(PoolStatus.same(ready, pool.getStatus())).isFalse();
    assertThat(condition(ready, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(condition(ready, "Scaling").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void surplusWorkersWaitingOutTheDelayAreScaleDownPendingSinceTheSurplusBeganAndThePoolStaysReady() {
    GpuPool pool = pool(1, 1, 0, 4);
    pool.setStatus(status(pool, 2, List.of(READY_1, READY_2), Optional.empty(), T0));
    Instant since = Instant.parse("2026-01-01T00:00:30Z");
    var pending = new ScaleDownDelay.Pending(1, since, since.plusSeconds(300));

    GpuPoolStatus status = status(pool, 1, List.of(READY_1, READY_2), Optional.of(pending), T1);

    assertThat(condition(status, "Scaling"))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage, Condition::getLastTransitionTime)
        .containsExactly("True", "ScaleDownPending", "1 surplus worker, removed at 2026-01-01T00:05:30Z unless demand returns",
            "2026-01-01T00:00:30Z");
    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", "AsDesired");
    assertThat(condition(status(pool, 1, List.of(READY_1, READY_2, STARTING),
        Optional.of(new ScaleDownDelay.Pending(2, since, since.plusSeconds(300))), T1), "Scaling").getMessage())
        .startsWith("2 surplus workers, removed at ");
  }

  @Test
  void theDrainAfterTheDelayKeepsTheScalingConditionsStart() {
    GpuPool pool = pool(1, 1, 0, 4);
    Instant since = Instant.parse("2026-01-01T00:00:30Z");
    pool.setStatus(status(pool, 1, List.of(READY_1, READY_2),
        Optional.of(new ScaleDownDelay.Pending(1, since, since.plusSeconds(300))), T0));

    GpuPoolStatus draining = status(pool, 1, List.of(READY_1, READY_2), Optional.empty(), T1);
    assertThat(condition(draining, "Scaling"))
        .extracting(Condition::getReason, Condition::getLastTransitionTime)
        .containsExactly("ScalingDown", "2026-01-01T00:00:30Z");
  }

  private static Condition condition(GpuPoolStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  /** The status with every worker made from the current template. */
  private static GpuPoolStatus status(GpuPool pool, int desired, List<Pod> pods, Optional<ScaleDownDelay.Pending> pending,
      Instant now) {
    return PoolStatus.desired(pool, desired, pods, pending, RolloutPlan.of(pods, "", desired, pool.getSpec(), now), "", now);
  }
}
