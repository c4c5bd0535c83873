package dev.kiln.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BusyTimeMeterTest {

  private static final PoolRef POOL = new PoolRef("ml", "h100");
  private static final PoolModel A = new PoolModel(POOL, "a");
  private static final PoolModel B = new PoolModel(POOL, "b");

  private final BusyTimeMeter meter = new BusyTimeMeter(Map.of(), Map.of(), Map.of());

  @Test
  void aWorkersFirstSampleCountsFromZeroAndLaterOnesTheIncrease() {
    meter.record("w1", POOL, 2, Map.of("a", 100L));
    meter.record("w1", POOL, 2, Map.of("a", 250L, "b", 40L));

    assertThat(meter.busyNanos()).containsOnly(Map.entry(A, big(250)), Map.entry(B, big(40)));
    assertThat(meter.busyGpuNanos()).containsOnly(Map.entry(POOL, big(2 * 290)));
  }

  @Test
  void aLowerCounterMeansTheRuntimeRestartedSoAllItsCountersCountFromZero() {
    meter.record("w1", POOL, 1, Map.of("a", 100L, "b", 500L));
    meter.record("w1", POOL, 1, Map.of("a", 30L, "b", 600L));

    assertThat(meter.busyNanos()).containsOnly(Map.entry(A, big(130)), Map.entry(B, big(1100)));
  }

  @Test
  void aMissingModelMeansTheRuntimeRestarted() {
    meter.record("w1", POOL, 1, Map.of("a", 100L, "b", 500L));
    meter.record("w1", POOL, 1, Map.of("a", 120L));

    assertThat(meter.busyNanos()).containsOnly(Map.entry(A, big(220)), Map.entry(B, big(500)));
  }

  @Test
  void aRestartHiddenByGrowthUnderCountsAndNeverOverCounts() {
    meter.record("w1", POOL, 1, Map.of("a", 100L));
    meter.record("w1", POOL, 1, Map.of("a", 150L));

    assertThat(meter.busyNanos()).containsOnly(Map.entry(A, big(150)));
  }

  @Test
  void theSameSampleTwiceAddsNothing() {
    meter.record("w1", POOL, 1, Map.of("a", 100L));
    meter.record("w1", POOL, 1, Map.of("a", 100L));

    assertThat(meter.busyNanos()).containsOnly(Map.entry(A, big(100)));
  }

  @Test
  void workersAreCountedApartAndAGoneWorkerKeepsWhatItCounted() {
    meter.record("w1", POOL, 1, Map.of("a", 100L));
    meter.record("w2", POOL, 1, Map.of("a", 7L));
    meter.retainWorkers(Set.of("w2"));

    assertThat(meter.busyNanos()).containsOnly(Map.entry(A, big(107)));
    assertThat(meter.counters()).containsOnlyKeys("w2");
  }

  @Test
  void rejectsANegativeCounter() {
    assertThatThrownBy(() -> meter.record("w1", POOL, 1, Map.of("a", -1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("busyNanos must be >= 0");
  }

  private static BigInteger big(long value) {
    return BigInteger.valueOf(value);
  }
}
