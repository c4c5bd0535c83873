package dev.kiln.operator.pool;

import static dev.kiln.operator.pool.PoolFixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.operator.residency.Plan;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class WorkerCountTest {

  @Test
  void keepsTheMinimumPlusWarmSparesWhenNothingIsPlaced() {
    assertThat(WorkerCount.desired(pool(1, 2, 1, 4).getSpec(), 0)).isEqualTo(3);
  }

  @Test
  void addsWarmSparesToWhatThePlacementNeeds() {
    assertThat(WorkerCount.desired(pool(1, 2, 1, 10).getSpec(), 5)).isEqualTo(6);
  }

  @Test
  void neverExceedsTheMaximum() {
    assertThat(WorkerCount.desired(pool(1, 2, 3, 4).getSpec(), 0)).isEqualTo(4);
    assertThat(WorkerCount.desired(pool(1, 0, 1, 4).getSpec(), 50)).isEqualTo(4);
  }

  @Test
  void anEmptyPoolWithoutSparesRunsNoWorker() {
    assertThat(WorkerCount.desired(pool(1, 0, 0, 4).getSpec(), 0)).isZero();
  }

  @Test
  void staysWithinBoundsForEverySmallSpec() {
    for (int min = 0; min <= 5; min++) {
      for (int max = Math.max(1, min); max <= 6; max++) {
        for (int spares = 0; spares <= max; spares++) {
          for (int needed = 0; needed <= 8; needed++) {
            int desired = WorkerCount.desired(pool(1, min, spares, max).getSpec(), needed);
            assertThat(desired).isBetween(min, max);
            assertThat(desired).isGreaterThanOrEqualTo(Math.min(max, needed + spares));
          }
        }
      }
    }
  }

  @Test
  void thePlacementNeedsTheWorkersItFillsAndTheOnesItLacks() {
    var placement = new TreeMap<String, SortedSet<String>>(Map.of(
        "w-a", new TreeSet<>(Set.of("echo")), "w-b", new TreeSet<>(), "w-c", new TreeSet<>(Set.of("echo", "resnet"))));

    assertThat(WorkerCount.neededByPlacement(new Plan(placement, new TreeMap<>(), 2, List.of()))).isEqualTo(4);
  }
}
