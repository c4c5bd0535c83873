package dev.kiln.operator.pool;

import static dev.kiln.operator.pool.PoolFixtures.terminating;
import static dev.kiln.operator.pool.PoolFixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScalePlanTest {

  private static final Pod OLD_READY = worker("a-old", "2026-01-01T00:00:00Z", "Running", true);
  private static final Pod NEW_READY = worker("a-new", "2026-01-01T00:05:00Z", "Running", true);
  private static final Pod OLD_STARTING = worker("a-starting-old", "2026-01-01T00:01:00Z", "Running", false);
  private static final Pod NEW_STARTING = worker("a-starting-new", "2026-01-01T00:06:00Z", "Pending", false);

  @Test
  void createsTheMissingWorkers() {
    assertThat(ScalePlan.of(List.of(OLD_READY), 3, Set.of(), "")).isEqualTo(new ScalePlan(2, List.of()));
  }

  @Test
  void leavesAPoolAtItsSizeAlone() {
    assertThat(ScalePlan.of(List.of(OLD_READY, NEW_READY, NEW_STARTING), 3, Set.of(), "")).isEqualTo(new ScalePlan(0, List.of()));
  }

  @Test
  void replacesFailedAndTerminatingWorkers() {
    Pod failed = worker("a-failed", "2026-01-01T00:00:00Z", "Failed", false);
    ScalePlan plan = ScalePlan.of(List.of(OLD_READY, failed, terminating(NEW_READY)), 3, Set.of(), "");
    assertThat(plan.toCreate()).isEqualTo(2);
    assertThat(plan.toDelete()).containsExactly(failed);
  }

  @Test
  void removesTheNewestNotReadyWorkersFirstThenTheNewestReadyOnes() {
    List<Pod> pods = List.of(OLD_READY, NEW_READY, OLD_STARTING, NEW_STARTING);
    assertThat(ScalePlan.of(pods, 3, Set.of(), "").toDelete()).containsExactly(NEW_STARTING);
    assertThat(ScalePlan.of(pods, 2, Set.of(), "").toDelete()).containsExactly(NEW_STARTING, OLD_STARTING);
    assertThat(ScalePlan.of(pods, 1, Set.of(), "").toDelete()).containsExactly(NEW_STARTING, OLD_STARTING, NEW_READY);
    assertThat(ScalePlan.of(pods, 0, Set.of(), "").toDelete()).hasSize(4);
  }

  @Test
  void keepsTheWorkersThePlanPutsModelsOn() {
    List<Pod> pods = List.of(OLD_READY, NEW_READY, OLD_STARTING);

    assertThat(ScalePlan.of(pods, 1, Set.of(NEW_READY.getMetadata().getName()), "").toDelete()).containsExactly(OLD_STARTING, OLD_READY);
  }
}
