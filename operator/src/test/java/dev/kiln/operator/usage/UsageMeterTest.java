package dev.kiln.operator.usage;

import static dev.kiln.operator.usage.AllocatedGpuTimeTest.at;
import static dev.kiln.operator.usage.AllocatedGpuTimeTest.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageMeterTest {

  private static final PoolRef POOL = new PoolRef("ml", "h100");
  private static final long SECOND = 1_000_000_000L;

  private final UsageMeter meter = new UsageMeter();

  @Test
  void costAccruesAtThePriceOfTheMomentSoAPriceChangeNeverRewritesThePast() {
    meter.observePods(at(10), List.of(pod("a", 2, at(0), null)), Map.of(POOL, PoolPrice.of("0.001", "USD")));
    meter.observePods(at(20), List.of(pod("a", 2, at(0), null)), Map.of(POOL, PoolPrice.of("0.0005", "USD")));
    meter.observePods(at(30), List.of(pod("a", 2, at(0), null)), Map.of(POOL, PoolPrice.of("0.002", "EUR")));

    assertThat(meter.totals().cost()).containsOnlyKeys(new PoolCurrency(POOL, "USD"), new PoolCurrency(POOL, "EUR"));
    assertThat(meter.totals().cost().get(new PoolCurrency(POOL, "USD"))).isEqualByComparingTo("0.03");
    assertThat(meter.totals().cost().get(new PoolCurrency(POOL, "EUR"))).isEqualByComparingTo("0.04");
  }

  @Test
  void aPoolWithoutAPriceAccruesNoCost() {
    meter.observePods(at(10), List.of(pod("a", 2, at(0), null)), Map.of());

    assertThat(meter.totals().cost()).isEmpty();
    assertThat(meter.totals().allocatedGpuNanos()).isNotEmpty();
  }

  @Test
  void idleIsAllocatedMinusBusyTimesTheWorkersGpusOnceTheBusyTimeOfAnIntervalHasArrived() {
    meter.observePods(at(10), List.of(pod("a", 2, at(0), null)), Map.of());
    assertThat(meter.totals().idleGpuNanos()).as("before the runtime's sample").containsOnly(Map.entry(POOL, BigInteger.valueOf(20 * SECOND)));

    meter.recordStats("a", Map.of("m", 3 * SECOND));
    meter.observePods(at(20), List.of(pod("a", 2, at(0), null)), Map.of());
    assertThat(meter.totals().idleGpuNanos()).containsOnly(Map.entry(POOL, BigInteger.valueOf((40 - 6) * SECOND)));
  }

  @Test
  void idleHoldsStillWhileBusyRunsAheadOfAllocated() {
    meter.observePods(at(10), List.of(pod("a", 1, at(0), null)), Map.of());
    meter.recordStats("a", Map.of("m", 4 * SECOND, "n", 8 * SECOND));
    meter.observePods(at(20), List.of(pod("a", 1, at(0), null)), Map.of());
    assertThat(meter.totals().idleGpuNanos()).containsOnly(Map.entry(POOL, BigInteger.valueOf(10 * SECOND)));

    meter.observePods(at(30), List.of(pod("a", 1, at(0), null)), Map.of());
    assertThat(meter.totals().idleGpuNanos()).containsOnly(Map.entry(POOL, BigInteger.valueOf((30 - 12) * SECOND)));
  }

  @Test
  void dropsSamplesOfPodsNotListedAsRunning() {
    meter.observePods(at(10), List.of(pod("a", 1, at(0), null), pod("pending", 1, null, null)), Map.of());
    meter.observePods(at(20), List.of(pod("pending", 1, null, null)), Map.of());

    assertThat(meter.recordStats("a", Map.of("m", SECOND))).as("a is gone").isFalse();
    assertThat(meter.recordStats("pending", Map.of("m", SECOND))).isFalse();
    assertThat(meter.recordStats("never-listed", Map.of("m", SECOND))).isFalse();
    assertThat(meter.totals().busyNanos()).isEmpty();
  }

  @Test
  void aCheckpointSurvivesItsStringFormAndCarriesOnWithoutCountingTwice() {
    meter.observePods(at(10), List.of(pod("a", 2, at(0), null)), Map.of(POOL, PoolPrice.of("0.001", "USD")));
    meter.recordStats("a", Map.of("m", 3 * SECOND));

    Map<String, String> data = meter.checkpoint().toData();
    UsageCheckpoint restored = UsageCheckpoint.fromData(data);
    assertThat(restored).isEqualTo(meter.checkpoint());
    assertThat(data).containsOnlyKeys(UsageCheckpoint.DATA_KEY);
    assertThat(data.get(UsageCheckpoint.DATA_KEY)).contains("\"2026-01-01T00:00:00Z\"");

    UsageMeter carriedOn = new UsageMeter(restored);
    carriedOn.observePods(at(10), List.of(pod("a", 2, at(0), null)), Map.of(POOL, PoolPrice.of("0.001", "USD")));
    carriedOn.recordStats("a", Map.of("m", 3 * SECOND));
    UsageMeterPropertiesTest.assertSameTotals(carriedOn.totals(), meter.totals());
    assertThat(carriedOn.totals().cost().get(new PoolCurrency(POOL, "USD"))).isEqualByComparingTo(new BigDecimal("0.02"));
  }

  @Test
  void dataWithoutACheckpointStartsFromNothing() {
    assertThat(new UsageMeter(UsageCheckpoint.fromData(Map.of())).totals()).isEqualTo(new UsageMeter().totals());
    assertThat(UsageCheckpoint.fromData(null)).isEqualTo(new UsageMeter().checkpoint());
  }

  @Test
  void rejectsACheckpointOfAnotherFormat() {
    String json = new UsageMeter().checkpoint().toData().get(UsageCheckpoint.DATA_KEY).replace("\"version\":1", "\"version\":2");

    assertThatThrownBy(() -> UsageCheckpoint.fromData(Map.of(UsageCheckpoint.DATA_KEY, json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2");
  }
}
