package dev.kiln.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocatedGpuTimeTest {

  private static final PoolRef POOL = new PoolRef("ml", "h100");
  private static final PoolGpuType H100 = new PoolGpuType(POOL, "nvidia-h100");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final AllocatedGpuTime allocated = new AllocatedGpuTime(Map.of(), Map.of(), Map.of());

  @Test
  void aRunningPodCountsItsGpusUntilNow() {
    allocated.observe(at(10), List.of(pod("a", 2, at(0), null)));
    assertThat(gpuSeconds()).isEqualTo(20);

    allocated.observe(at(25), List.of(pod("a", 2, at(0), null)));
    assertThat(gpuSeconds()).isEqualTo(50);
  }

  @Test
  void anEndedPodIsFixedAtItsFinishTime() {
    allocated.observe(at(10), List.of(pod("a", 2, at(0), null)));
    allocated.observe(at(20), List.of(pod("a", 2, at(0), at(15))));
    allocated.observe(at(90), List.of(pod("a", 2, at(0), at(15))));

    assertThat(gpuSeconds()).isEqualTo(30);
  }

  @Test
  void aPodThatVanishesKeepsItsLastKnownSpanAndIsForgotten() {
    allocated.observe(at(10), List.of(pod("a", 1, at(0), null), pod("b", 1, at(5), null)));
    allocated.observe(at(20), List.of(pod("b", 1, at(5), null)));

    assertThat(gpuSeconds()).isEqualTo(10 + 15);
    assertThat(allocated.live()).containsOnlyKeys("b");
  }

  @Test
  void aContainerRestartKeepsTheEarliestStartSinceTheGpusStayedAllocated() {
    allocated.observe(at(10), List.of(pod("a", 4, at(0), null)));
    allocated.observe(at(20), List.of(pod("a", 4, at(18), null)));

    assertThat(gpuSeconds()).isEqualTo(80);
  }

  @Test
  void aPendingPodCountsNothingUntilItRuns() {
    allocated.observe(at(10), List.of(pod("a", 1, null, null)));
    assertThat(allocated.gpuNanos()).isEmpty();
    assertThat(allocated.pod("a")).isEmpty();

    allocated.observe(at(20), List.of(pod("a", 1, at(12), null)));
    assertThat(gpuSeconds()).isEqualTo(8);
  }

  @Test
  void aFinishReportedAfterTheLastRunningSightingHoldsTheTotalUntilItCatchesUp() {
    allocated.observe(at(10), List.of(pod("a", 1, at(0), null), pod("b", 1, at(0), null)));
    allocated.observe(at(11), List.of(pod("a", 1, at(0), at(8)), pod("b", 1, at(0), null)));
    assertThat(gpuSeconds()).as("10 + 10 counted before; the exact 8 + 11 is less").isEqualTo(20);

    allocated.observe(at(15), List.of(pod("a", 1, at(0), at(8)), pod("b", 1, at(0), null)));
    assertThat(gpuSeconds()).isEqualTo(8 + 15);
  }

  @Test
  void clocksThatDisagreeCountZeroRatherThanNegative() {
    allocated.observe(at(10), List.of(pod("a", 1, at(12), null), pod("b", 1, at(0), null)));

    assertThat(gpuSeconds()).isEqualTo(10);
  }

  @Test
  void eachGpuTypeOfAPoolIsCountedApart() {
    allocated.observe(at(10), List.of(
        pod("a", 1, at(0), null),
        new WorkerPod("b", POOL, WorkerPod.UNKNOWN_GPU_TYPE, 1, at(5), null)));

    assertThat(allocated.gpuNanos()).containsOnly(
        Map.entry(H100, nanos(10)), Map.entry(new PoolGpuType(POOL, WorkerPod.UNKNOWN_GPU_TYPE), nanos(5)));
  }

  private long gpuSeconds() {
    return allocated.gpuNanos().values().stream().reduce(BigInteger.ZERO, BigInteger::add).divide(BigInteger.valueOf(1_000_000_000)).longValueExact();
  }

  static WorkerPod pod(String uid, int gpus, Instant runningSince, Instant finishedAt) {
    return new WorkerPod(uid, POOL, "nvidia-h100", gpus, runningSince, finishedAt);
  }

  static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private static BigInteger nanos(long seconds) {
    return BigInteger.valueOf(seconds * 1_000_000_000L);
  }
}
