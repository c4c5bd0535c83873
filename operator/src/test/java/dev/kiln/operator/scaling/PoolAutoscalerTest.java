package dev.kiln.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.operator.scaling.SignalSource.ServingWorker;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PoolAutoscalerTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ScaleBounds ONE_TO_FIVE = new ScaleBounds(1, 5, 1);
  private static final List<ServingWorker> WORKERS = List.of(new ServingWorker("w-a", URI.create("http://127.0.0.1:8080"), Set.of("echo")));

  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final PoolAutoscaler scaler = new PoolAutoscaler(ScalingSettings.defaults(), (workers, at) -> {
    reads.incrementAndGet();
    return Map.of("echo", new SignalSample(at, Map.of("w-a", new WorkerSignal(inFlight.get(), 0, 0, 0)), Map.of()));
  });

  @Test
  void readsAPoolOncePerHalfIntervalWhateverItsModelsReconciles() {
    var models = List.of(new ScaledModel("echo", ONE_TO_FIVE, 1, Map.of()), new ScaledModel("idle", ONE_TO_FIVE, 1, Map.of()));

    scaler.decide("ns", "pool", WORKERS, models, T0);
    scaler.decide("ns", "pool", WORKERS, models, T0.plusMillis(500));
    Map<String, Decision> later = scaler.decide("ns", "pool", WORKERS, models, T0.plusSeconds(1));

    assertThat(reads).hasValue(2);
    assertThat(later).containsOnlyKeys("echo", "idle");
  }

  @Test
  void aHolderThatIsNotReadyIsAGapNotAnIdleReplica() {
    inFlight.set(4);
    var busy = List.of(new ScaledModel("echo", ONE_TO_FIVE, 1, Map.of()));
    Instant now = T0;
    for (int tick = 0; tick < 40; tick++, now = now.plusSeconds(2)) {
      scaler.decide("ns", "pool", WORKERS, busy, now);
    }
    inFlight.set(0);
    var oneNotReady = List.of(new ScaledModel("echo", ONE_TO_FIVE, 3, Map.of("w-b", "not Ready")));

    Decision decision = null;
    for (int tick = 0; tick < 60; tick++, now = now.plusSeconds(2)) {
      decision = scaler.decide("ns", "pool", WORKERS, oneNotReady, now).get("echo");
    }

    assertThat(decision.replicas()).isEqualTo(4);
    assertThat(decision.reason()).isEqualTo("holding 4: no signal from worker w-b yet (not Ready)");
  }

  @Test
  void gatewaysAreReadOncePerHalfIntervalForAllPoolsAndTheirQueueBringsUpAModelWithNoReplica() {
    var gatewayReads = new AtomicInteger();
    var withGateways = new PoolAutoscaler(ScalingSettings.defaults(), (workers, at) -> Map.of(), at -> {
      gatewayReads.incrementAndGet();
      return new GatewaySource.Reading(Map.of("kiln/gw-1",
          Map.of(new GatewaySource.ModelRef("ns", "cold"), new GatewaySignal(0, 2, 2))), Map.of());
    });
    var idle = new ScaleBounds(0, 1, 1);

    Decision cold = withGateways.decide("ns", "pool", List.of(), List.of(new ScaledModel("cold", idle, 0, Map.of())), T0)
        .get("cold");
    Decision elsewhere = withGateways.decide("other", "pool", List.of(),
        List.of(new ScaledModel("cold", idle, 0, Map.of())), T0.plusMillis(100)).get("cold");

    assertThat(gatewayReads).hasValue(1);
    assertThat(cold.replicas()).isEqualTo(1);
    assertThat(cold.lastDemand()).contains(T0);
    assertThat(elsewhere.replicas()).as("a model of the same name in another namespace").isZero();
  }
}
