package dev.kiln.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The autoscaler's invariants, each on {@value #CASES} seeded random runs; a failure names its
 * seed.
 */
class AutoscalerPropertiesTest {

  private static final int CASES = 250;
  private static final int TICKS = 200;

  static LongStream seeds() {
    return LongStream.range(0, CASES);
  }

  /** One tick of a random run: a load, and whether its signal was missing. */
  private record Tick(int rate, int serviceMillis, Signal signal) {}

  private enum Signal { READ, UNREAD_WORKER, NOTHING, RESTART }

  private static Tick[] randomRun(Random random) {
    var ticks = new Tick[TICKS];
    int rate = random.nextInt(50);
    int service = 10 + random.nextInt(500);
    for (int i = 0; i < TICKS; i++) {
      if (random.nextInt(10) == 0) {
        rate = random.nextInt(random.nextBoolean() ? 10 : 100);
        service = 10 + random.nextInt(500);
      }
      int roll = random.nextInt(20);
      Signal signal = roll == 0 ? Signal.UNREAD_WORKER : roll == 1 ? Signal.NOTHING : roll == 2 ? Signal.RESTART : Signal.READ;
      ticks[i] = new Tick(rate, service, signal);
    }
    return ticks;
  }

  private static ScaleBounds randomBounds(Random random) {
    int min = random.nextInt(4);
    return new ScaleBounds(min, min + random.nextInt(12), 1 + random.nextInt(4));
  }

  private static Decision play(SimulatedModel model, Tick tick, double factor) {
    double rate = tick.rate() * factor;
    return switch (tick.signal()) {
      case READ -> model.load(rate, tick.serviceMillis());
      case UNREAD_WORKER -> model.loadWithUnreadWorker(rate, tick.serviceMillis());
      case NOTHING -> model.silence();
      case RESTART -> model.loadAfterRestart(rate, tick.serviceMillis());
    };
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void staysWithinBoundsAndNeverScalesDownWithoutASignal(long seed) {
    var random = new Random(seed);
    ScaleBounds bounds = randomBounds(random);
    var model = new SimulatedModel(bounds, random.nextInt(15));
    int previous = -1;
    for (Tick tick : randomRun(random)) {
      Decision decision = play(model, tick, 1);

      assertThat(decision.replicas()).as("seed %d at %s", seed, model.now())
          .isBetween(bounds.minReplicas(), bounds.maxReplicas());
      if (previous >= 0 && (tick.signal() == Signal.UNREAD_WORKER || tick.signal() == Signal.NOTHING)) {
        assertThat(decision.replicas()).as("seed %d at %s: %s", seed, model.now(), decision.reason())
            .isGreaterThanOrEqualTo(previous);
      }
      previous = decision.replicas();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void steadyLoadConvergesToLoadTimesServiceTimeOverTargetConcurrency(long seed) {
    var random = new Random(seed);
    ScaleBounds bounds = randomBounds(random);
    var model = new SimulatedModel(bounds, random.nextInt(15));
    for (Tick tick : randomRun(random)) {
      if (random.nextInt(4) == 0) {
        play(model, tick, 1);
      }
    }
    int rate = random.nextInt(200);
    int serviceMillis = 1 + random.nextInt(1000);

    Decision decision = model.load(rate, serviceMillis, 100);

    int expected = (int) Math.ceil(rate * serviceMillis / 1000.0 / bounds.targetConcurrency() - 1e-9);
    assertThat(decision.replicas()).as("seed %d: %s", seed, decision.reason()).isEqualTo(bounds.clamp(expected));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void moreLoadNeverAsksForFewerReplicas(long seed) {
    var random = new Random(seed);
    ScaleBounds bounds = randomBounds(random);
    int current = random.nextInt(15);
    var light = new SimulatedModel(ScalingSettings.defaults(), bounds, current, true);
    var heavy = new SimulatedModel(ScalingSettings.defaults(), bounds, current, true);
    double factor = 1 + random.nextDouble() * 3;
    for (Tick tick : randomRun(random)) {
      Decision lighter = play(light, tick, 1);
      Decision heavier = play(heavy, tick, factor);

      assertThat(heavier.replicas()).as("seed %d at %s: %s / %s", seed, light.now(), lighter.reason(), heavier.reason())
          .isGreaterThanOrEqualTo(lighter.replicas());
    }
  }
}
