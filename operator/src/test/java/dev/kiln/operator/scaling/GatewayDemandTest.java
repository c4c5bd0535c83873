package dev.kiln.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateways' demand in a model's signals: queued requests, arrivals, and gateways that cannot be read. */
class GatewayDemandTest {

  private static final ScalingSettings SETTINGS = ScalingSettings.defaults();
  /** An idle OnDemand model: it may have none, and one while in use. */
  private static final ScaleBounds IDLE = new ScaleBounds(0, 1, 1);
  private static final Duration TICK = SETTINGS.sampleInterval();
  private static final int STABLE_TICKS = 30;
  private static final String GATEWAY = "kiln/gw-1";

  private final Autoscaler autoscaler = new Autoscaler(SETTINGS);
  private ScalingState state = ScalingState.initial();
  private Instant now = SimulatedModel.START;

  @Test
  void aRequestQueuedAtAGatewayForAModelWithNoReplicaAsksForOneAtOnce() {
    for (int tick = 0; tick < 3 * STABLE_TICKS; tick++) {
      assertThat(decide(0, Map.of(GATEWAY, new GatewaySignal(0, 0, 0)), Map.of()).replicas()).isZero();
    }
    assertThat(state.series().lastDemand()).isEmpty();

    Decision decision = decide(0, Map.of(GATEWAY, new GatewaySignal(0, 1, 1)), Map.of());

    assertThat(decision.replicas()).isEqualTo(1);
    assertThat(decision.reason()).startsWith("scaling up from 0 to 1: 1 request waits with no replica, concurrency ");
    assertThat(decision.lastDemand()).contains(now);
    assertThat(decision.load()).get().satisfies(load -> assertThat(load.queueDepth()).isEqualTo(1));
  }

  @Test
  void requestsAGatewayRunsAreTheWorkersOwnAndItsQueueAddsToThem() {
    var sample = new SignalSample(now, Map.of("w-1", new WorkerSignal(3, 0, 0, 0)), Map.of(),
        Map.of(GATEWAY, new GatewaySignal(3, 2, 10), "kiln/gw-2", new GatewaySignal(1, 1, 4)), Map.of());

    SignalSeries series = SignalSeries.empty().with(sample, SETTINGS.stableWindow(), SETTINGS.staleAfter());

    LoadWindow window = series.window(now, SETTINGS.stableWindow());
    assertThat(window.concurrency()).as("max(3 on workers, 4 run by gateways) + 3 queued").isEqualTo(7.0);
    assertThat(window.queueDepth()).isEqualTo(3);
  }

  @Test
  void arrivalsAreCountedPerGatewayAndARestartedGatewayCountsFromZero() {
    observe(Map.of(GATEWAY, new GatewaySignal(0, 0, 100), "kiln/gw-2", new GatewaySignal(0, 0, 7)), Map.of());
    assertThat(state.series().lastDemand()).as("a gateway's first reading is its baseline").isEmpty();

    observe(Map.of(GATEWAY, new GatewaySignal(0, 0, 100), "kiln/gw-2", new GatewaySignal(0, 0, 7)), Map.of());
    assertThat(state.series().lastDemand()).isEmpty();

    observe(Map.of(GATEWAY, new GatewaySignal(0, 0, 2), "kiln/gw-2", new GatewaySignal(0, 0, 7)), Map.of());
    assertThat(state.series().lastDemand()).as("two requests since gw-1 restarted, served between samples")
        .contains(now);
    assertThat(lastPointArrivals()).isEqualTo(2);

    observe(Map.of(GATEWAY, new GatewaySignal(0, 0, 2), "kiln/gw-2", new GatewaySignal(0, 0, 8)), Map.of());
    assertThat(lastPointArrivals()).isEqualTo(1);
  }

  @Test
  void aGatewayThatCannotBeReadKeepsItsCountersAndItsNextReadingCoversTheGap() {
    observe(Map.of(GATEWAY, new GatewaySignal(0, 0, 10)), Map.of());
    observe(Map.of(), Map.of(GATEWAY, "connection refused"));
    assertThat(lastPointArrivals()).isZero();

    observe(Map.of(GATEWAY, new GatewaySignal(0, 0, 13)), Map.of());

    assertThat(lastPointArrivals()).isEqualTo(3);
  }

  @Test
  void aGatewayThatCannotBeReadBlocksAScaleDownButIsNoDemand() {
    var bounds = new ScaleBounds(0, 4, 1);
    for (int tick = 0; tick < STABLE_TICKS; tick++) {
      decide(3, bounds, Map.of(GATEWAY, new GatewaySignal(0, 4, 0)), Map.of());
    }
    Instant lastQueued = now;

    Decision decision = null;
    for (int tick = 0; tick < 2 * STABLE_TICKS; tick++) {
      decision = decide(4, bounds, Map.of(), Map.of(GATEWAY, "connection refused"));
      assertThat(decision.replicas()).isEqualTo(4);
    }

    assertThat(decision.reason()).isEqualTo("holding 4: no signal from gateway kiln/gw-1 (connection refused)");
    assertThat(decision.lastDemand()).contains(lastQueued);
  }

  @Test
  void aGatewayThatDoesNotListAModelHasNoDemandForItYet() {
    var reading = new GatewaySource.Reading(Map.of(
        GATEWAY, Map.of(new GatewaySource.ModelRef("ml", "echo"), new GatewaySignal(1, 2, 3)),
        "kiln/gw-2", Map.of()), Map.of("kiln/gw-3", "HTTP 500"));

    assertThat(reading.of("ml", "echo")).isEqualTo(Map.of(GATEWAY, new GatewaySignal(1, 2, 3), "kiln/gw-2", GatewaySignal.IDLE));
    assertThat(reading.of("other", "echo")).isEqualTo(Map.of(GATEWAY, GatewaySignal.IDLE, "kiln/gw-2", GatewaySignal.IDLE));
  }

  private long lastPointArrivals() {
    return state.series().window(now, TICK).points().getLast().arrivedIncrease();
  }

  private void observe(Map<String, GatewaySignal> gateways, Map<String, String> unread) {
    now = now.plus(TICK);
    state = state.observe(new SignalSample(now, Map.of(), Map.of(), gateways, unread), SETTINGS);
  }

  private Decision decide(int currentReplicas, Map<String, GatewaySignal> gateways, Map<String, String> unread) {
    return decide(currentReplicas, IDLE, gateways, unread);
  }

  private Decision decide(int currentReplicas, ScaleBounds bounds, Map<String, GatewaySignal> gateways,
      Map<String, String> unread) {
    observe(gateways, unread);
    Autoscaler.Step step = autoscaler.decide(state, bounds, currentReplicas, now);
    state = step.state();
    return step.decision();
  }
}
