package dev.kiln.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.operator.usage.RandomUsageRun.Event;
import dev.kiln.operator.usage.RandomUsageRun.Run;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The meter's invariants on {@link RandomUsageRun#CASES} random runs. A failure names its seed;
 * {@code RandomUsageRun.generate(seed)} rebuilds the run.
 */
class UsageMeterPropertiesTest {

  private static final String SEEDS = "dev.kiln.operator.usage.RandomUsageRun#seeds";

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void allocatedGpuTimeIsRunningTimeTimesGpus(long seed) {
    Run run = RandomUsageRun.generate(seed);
    UsageMeter meter = feedAll(new UsageMeter(), run.events());

    Map<PoolGpuType, BigInteger> allocated = meter.totals().allocatedGpuNanos();
    assertThat(nonZero(allocated)).isEqualTo(nonZero(run.allocatedGpuNanos()));
    run.allocatedGpuNanos().forEach((key, truth) -> {
      double expected = UsageTotals.seconds(truth);
      assertThat(UsageTotals.seconds(allocated.getOrDefault(key, BigInteger.ZERO))).isCloseTo(expected, within(expected * 1e-9));
    });
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void busyTimeIsTheSumOfRequestsToTheNanosecond(long seed) {
    Run run = RandomUsageRun.generate(seed);
    UsageMeter meter = feedAll(new UsageMeter(), run.events());

    assertThat(nonZero(meter.totals().busyNanos())).isEqualTo(nonZero(run.busyNanos()));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void restoringACheckpointAndSeeingItsLastEventAgainCountsNothingTwice(long seed) {
    Run run = RandomUsageRun.generate(seed);
    UsageTotals single = feedAll(new UsageMeter(), run.events()).totals();
    Random random = new Random(seed);

    for (int attempt = 0; attempt < 3; attempt++) {
      int k = 1 + random.nextInt(run.events().size());
      UsageMeter first = feedAll(new UsageMeter(), run.events().subList(0, k));
      UsageCheckpoint stored = UsageCheckpoint.fromData(first.checkpoint().toData());
      UsageMeter second = feedAll(new UsageMeter(stored), run.events().subList(k - 1, run.events().size()));

      assertSameTotals(second.totals(), single);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void aRestoredMeterThatMissedEventsWhileDownCountsNoMoreThanOneThatSawThemAll(long seed) {
    Run run = RandomUsageRun.generate(seed);
    UsageTotals single = feedAll(new UsageMeter(), run.events()).totals();
    Random random = new Random(seed);
    int size = run.events().size();
    int k = 1 + random.nextInt(size);
    int resumeAt = k + random.nextInt(size - k + 1);

    UsageCheckpoint stored = UsageCheckpoint.fromData(feedAll(new UsageMeter(), run.events().subList(0, k)).checkpoint().toData());
    UsageMeter restored = new UsageMeter(stored);
    RandomUsageRun.feed(restored, run.events().get(k - 1));
    feedAll(restored, run.events().subList(resumeAt, size));

    assertNotAbove(restored.totals().allocatedGpuNanos(), single.allocatedGpuNanos());
    assertNotAbove(restored.totals().busyNanos(), single.busyNanos());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void totalsNeverGoBackwardsWhateverTheOrderOfEvents(long seed) {
    Random random = new Random(seed);
    UsageMeter meter = new UsageMeter();
    UsageTotals before = meter.totals();

    for (Event event : scrambled(RandomUsageRun.generate(seed).events(), random)) {
      RandomUsageRun.feed(meter, event);
      UsageTotals after = meter.totals();
      assertNotBelow(after.allocatedGpuNanos(), before.allocatedGpuNanos());
      assertNotBelow(after.busyNanos(), before.busyNanos());
      assertNotBelow(after.idleGpuNanos(), before.idleGpuNanos());
      assertNotBelow(after.cost(), before.cost());
      before = after;
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void idleNeverExceedsWhatWasAllocated(long seed) {
    UsageMeter meter = new UsageMeter();

    for (Event event : RandomUsageRun.generate(seed).events()) {
      RandomUsageRun.feed(meter, event);
      Map<PoolRef, BigInteger> allocated = meter.totals().allocatedGpuNanos().entrySet().stream()
          .collect(Collectors.toMap(entry -> entry.getKey().pool(), Map.Entry::getValue, BigInteger::add));
      meter.totals().idleGpuNanos().forEach((pool, idle) ->
          assertThat(idle).as("%s", pool).isLessThanOrEqualTo(allocated.getOrDefault(pool, BigInteger.ZERO)));
    }
  }

  /** The events with some dropped, repeated, swapped with the next, or replayed late. */
  private static List<Event> scrambled(List<Event> events, Random random) {
    List<Event> scrambled = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      switch (random.nextInt(8)) {
        case 0 -> {}
        case 1 -> scrambled.add(events.get(random.nextInt(i + 1)));
        case 2 -> {
          scrambled.add(events.get(i));
          scrambled.add(events.get(i));
        }
        case 3 -> {
          if (i + 1 < events.size()) {
            scrambled.add(events.get(i + 1));
          }
          scrambled.add(events.get(i++));
        }
        default -> scrambled.add(events.get(i));
      }
    }
    return scrambled;
  }

  static UsageMeter feedAll(UsageMeter meter, List<Event> events) {
    events.forEach(event -> RandomUsageRun.feed(meter, event));
    return meter;
  }

  static void assertSameTotals(UsageTotals actual, UsageTotals expected) {
    assertThat(actual.allocatedGpuNanos()).isEqualTo(expected.allocatedGpuNanos());
    assertThat(actual.busyNanos()).isEqualTo(expected.busyNanos());
    assertThat(actual.idleGpuNanos()).isEqualTo(expected.idleGpuNanos());
    assertThat(actual.cost().keySet()).isEqualTo(expected.cost().keySet());
    expected.cost().forEach((key, amount) -> assertThat(actual.cost().get(key)).isEqualByComparingTo(amount));
  }

  private static <K, V extends Comparable<V>> void assertNotBelow(Map<K, V> after, Map<K, V> before) {
    assertThat(after.keySet()).containsAll(before.keySet());
    before.forEach((key, value) -> assertThat(after.get(key)).as("%s", key).isGreaterThanOrEqualTo(value));
  }

  private static <K> void assertNotAbove(Map<K, BigInteger> actual, Map<K, BigInteger> bound) {
    actual.forEach((key, value) -> assertThat(value).as("%s", key).isLessThanOrEqualTo(bound.getOrDefault(key, BigInteger.ZERO)));
  }

  private static <K> Map<K, BigInteger> nonZero(Map<K, BigInteger> totals) {
    return totals.entrySet().stream()
        .filter(entry -> entry.getValue().signum() != 0)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
