package dev.kiln.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoscalerTest {

  private static final ScaleBounds ONE_TO_TEN = new ScaleBounds(1, 10, 1);
  /** Ticks of the default settings' sample interval that cover the stable window. */
  private static final int STABLE_TICKS = 30;
  private static final int DELAY_TICKS = 15;

  @Test
  void holdsTheCurrentReplicasUntilASignalArrives() {
    var model = new SimulatedModel(ONE_TO_TEN, 3);

    Decision decision = model.silence();

    assertThat(decision.replicas()).isEqualTo(3);
    assertThat(decision.reason()).isEqualTo("holding 3: no signal yet");
    assertThat(decision.load()).isEmpty();
  }

  @Test
  void theDecisionCarriesTheLastSampleThatShowedDemand() {
    var model = new SimulatedModel(ONE_TO_TEN, 1);
    assertThat(model.load(0, 0, 3).lastDemand()).as("no request yet").isEmpty();

    model.load(5, 100, 3);
    Instant lastBusy = model.now();
    Decision quiet = model.load(0, 0, 10);

    assertThat(quiet.lastDemand()).contains(lastBusy);
  }

  @Test
  void aWorkerThatCouldNotBeReadCountsAsDemand() {
    var model = new SimulatedModel(ONE_TO_TEN, 1);
    model.load(0, 0, 3);

    Decision unread = model.loadWithUnreadWorker(0, 0);

    assertThat(unread.lastDemand()).contains(model.now());
  }

  @Test
  void steadyLoadAsksForArrivalRateTimesServiceTimeOverTargetConcurrency() {
    var model = new SimulatedModel(new ScaleBounds(1, 10, 2), 1);

    // 25 requests/s of 200 ms: 5 at once, 2 per replica.
    Decision decision = model.load(25, 200, STABLE_TICKS + DELAY_TICKS + 5);

    assertThat(decision.replicas()).isEqualTo(3);
    assertThat(decision.reason()).startsWith("steady at 3: concurrency 5.00 over the last 60s");
    assertThat(decision.load()).get().satisfies(load -> {
      assertThat(load.requestRate()).isEqualTo(25.0);
      assertThat(load.concurrency()).isEqualTo(5.0);
    });
  }

  @Test
  void exactlyTheTargetConcurrencyNeedsNoExtraReplica() {
    var model = new SimulatedModel(new ScaleBounds(1, 10, 3), 1);

    assertThat(model.load(30, 100, STABLE_TICKS + DELAY_TICKS + 5).replicas()).isEqualTo(1);
  }

  @Test
  void staysWithinBounds() {
    var model = new SimulatedModel(new ScaleBounds(2, 4, 1), 2);

    assertThat(model.load(100, 1000, 10).replicas()).isEqualTo(4);
    assertThat(model.load(0, 0, 100).replicas()).isEqualTo(2);
  }

  @Test
  void aBurstScalesUpAtOnceInPanicAndNeverDownWhilePanicking() {
    var model = new SimulatedModel(ONE_TO_TEN, 1);
    model.load(2, 100, STABLE_TICKS + 5);

    Decision burst = model.load(40, 200);

    assertThat(burst.replicas()).isGreaterThanOrEqualTo(2);
    assertThat(burst.reason()).startsWith("scaling up from 1 to " + burst.replicas()).endsWith("(panic)");
    for (int tick = 0; tick < STABLE_TICKS - 1; tick++) {
      assertThat(model.load(2, 100).replicas()).as("tick %d after the burst", tick).isEqualTo(burst.replicas());
    }
  }

  @Test
  void aSpikeShorterThanThePanicWindowScalesUpAndComesDownOnlyAfterTheDelay() {
    var model = new SimulatedModel(ONE_TO_TEN, 1);
    model.load(1, 200, STABLE_TICKS + 5);

    Instant spikeAt = model.now().plusSeconds(2);
    int peak = model.load(60, 200).replicas();
    assertThat(peak).isGreaterThan(1);

    Instant lastPeak = spikeAt;
    Decision decision = null;
    for (int tick = 0; tick < STABLE_TICKS + DELAY_TICKS + 10; tick++) {
      decision = model.load(1, 200);
      if (decision.replicas() == peak) {
        lastPeak = model.now();
      }
      assertThat(decision.replicas()).as("no scale-up from a low load").isLessThanOrEqualTo(peak);
    }
    assertThat(Duration.between(spikeAt, lastPeak)).isGreaterThanOrEqualTo(ScalingSettings.defaults().scaleDownDelay());
    assertThat(decision.replicas()).isEqualTo(1);
  }

  @Test
  void aLowerRecommendationWaitsForTheScaleDownDelay() {
    var model = new SimulatedModel(ONE_TO_TEN, 1);
    assertThat(model.load(20, 200, STABLE_TICKS + DELAY_TICKS + 5).replicas()).isEqualTo(4);

    Instant firstLower = null;
    Decision decision = model.load(0, 0);
    while (decision.replicas() == 4) {
      if (firstLower == null && decision.reason().startsWith("holding 4 for the scale-down delay")) {
        firstLower = model.now();
        assertThat(decision.reason()).isEqualTo("holding 4 for the scale-down delay: concurrency 2.97 over the last 60s asks for 3");
      }
      decision = model.load(0, 0);
    }

    assertThat(firstLower).isNotNull();
    Instant lastAskedForFour = firstLower.minus(ScalingSettings.defaults().sampleInterval());
    assertThat(Duration.between(lastAskedForFour, model.now())).isEqualTo(ScalingSettings.defaults().scaleDownDelay());
    assertThat(decision.reason()).startsWith("scaling down from 4 to 3");
  }

  @Test
  void aStaleSignalHoldsTheLastDecision() {
    var model = new SimulatedModel(ONE_TO_TEN, 1);
    model.load(20, 200, STABLE_TICKS + DELAY_TICKS);

    Decision decision = null;
    for (int tick = 0; tick < STABLE_TICKS + DELAY_TICKS; tick++) {
      decision = model.silence();
      assertThat(decision.replicas()).isEqualTo(4);
    }
    assertThat(decision.reason()).isEqualTo("holding 4: no signal for 90s");
  }

  @Test
  void aWorkerThatCannotBeReadBlocksAScaleDownAndSaysSince() {
    var model = new SimulatedModel(ONE_TO_TEN, 1);
    model.load(20, 200, STABLE_TICKS + DELAY_TICKS);

    Decision decision = null;
    for (int tick = 0; tick < STABLE_TICKS + DELAY_TICKS; tick++) {
      decision = model.loadWithUnreadWorker(0, 0);
      assertThat(decision.replicas()).isEqualTo(4);
    }
    assertThat(decision.reason()).isEqualTo("holding 4: no signal from worker w-1 yet (connection refused)");
  }

  @Test
  void saysHowLongAWorkerHasBeenSilent() {
    var state = ScalingState.initial();
    var settings = ScalingSettings.defaults();
    Instant t0 = SimulatedModel.START;
    var signal = new WorkerSignal(4, 0, 0, 0);
    state = state.observe(new SignalSample(t0, Map.of("a", signal, "b", signal), Map.of()), settings);
    state = state.observe(new SignalSample(t0.plusSeconds(2), Map.of("a", signal), Map.of("b", "HTTP 500")), settings);

    assertThat(state.series().missingWorkers(t0.plusSeconds(20))).contains("no signal from worker b for 20s (HTTP 500)");
  }

  @Test
  void aScaleDownNeedsAStableWindowOfHistory() {
    var model = new SimulatedModel(ONE_TO_TEN, 5);

    Decision decision = model.load(0, 0, 10);

    assertThat(decision.replicas()).isEqualTo(5);
    assertThat(decision.reason()).isEqualTo("holding 5: only 18s of signal, a scale-down needs 60s");
  }

  @Test
  void aRestartedRuntimeIsNotReadAsABurstOrADrop() {
    var model = new SimulatedModel(ONE_TO_TEN, 1);
    model.load(10, 200, STABLE_TICKS + DELAY_TICKS);

    Decision decision = model.loadAfterRestart(10, 200);

    assertThat(decision.replicas()).isEqualTo(2);
    assertThat(decision.load()).get().satisfies(load -> assertThat(load.requestRate()).isEqualTo(10.0));
  }

  @Test
  void aWorkerLeavingIsNotReadAsACounterReset() {
    var settings = ScalingSettings.defaults();
    Instant t0 = SimulatedModel.START;
    var state = ScalingState.initial()
        .observe(new SignalSample(t0, Map.of("a", new WorkerSignal(0, 0, 1000, 0), "b", new WorkerSignal(0, 0, 5000, 0)), Map.of()), settings)
        .observe(new SignalSample(t0.plusSeconds(2), Map.of("a", new WorkerSignal(0, 0, 1010, 0)), Map.of()), settings);

    assertThat(state.series().window(t0.plusSeconds(2), Duration.ofSeconds(6)).requestRate()).isEqualTo(5.0);
  }
}
