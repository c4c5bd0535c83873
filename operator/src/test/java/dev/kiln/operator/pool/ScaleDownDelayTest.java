package dev.kiln.operator.pool;

import static dev.kiln.operator.pool.PoolFixtures.pool;
import static dev.kiln.operator.pool.PoolFixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolStatus;
import dev.kiln.operator.pool.ScaleDownDelay.Decision;
import dev.kiln.operator.pool.ScaleDownDelay.Pending;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScaleDownDelayTest {

  private static final Duration DELAY = Duration.ofMinutes(5);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.400Z");
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant REMOVE_AT = START.plus(DELAY);

  @Test
  void aSurplusIsKeptWhileTheDelayRunsAndItsClockStartsNow() {
    assertThat(ScaleDownDelay.decide(3, 1, 4, Optional.empty(), DELAY, T0))
        .isEqualTo(new Decision(3, Optional.of(new Pending(2, START, REMOVE_AT))));
    assertThat(ScaleDownDelay.decide(3, 1, 4, Optional.of(START), DELAY, REMOVE_AT.minusMillis(1)))
        .isEqualTo(new Decision(3, Optional.of(new Pending(2, START, REMOVE_AT))));
  }

  @Test
  void onceTheDelayHasRunTheIdlestWorkersGo() {
    Decision decision = ScaleDownDelay.decide(3, 1, 4, Optional.of(START), DELAY, REMOVE_AT);
    assertThat(decision).isEqualTo(new Decision(1, Optional.empty()));

    Pod serving = worker("alpha-serving", "2026-01-01T00:00:00Z", "Running", true);
    Pod idleOld = worker("alpha-idle-old", "2026-01-01T00:00:00Z", "Running", true);
    Pod idleNew = worker("alpha-idle-new", "2026-01-01T00:03:00Z", "Running", true);
    assertThat(ScalePlan.of(List.of(serving, idleOld, idleNew), decision.workers(), Set.of("alpha-serving"), "").toDelete())
        .containsExactly(idleNew, idleOld);
  }

  @Test
  void aSurplusThatEndsBeforeTheDelayResetsTheClock() {
    GpuPool pool = pool(1, 1, 0, 4);
    pool.setStatus(statusWith(pool, Optional.of(new Pending(1, START, REMOVE_AT)), T0));

    Decision demandBack = ScaleDownDelay.decide(2, 2, 4, ScaleDownDelay.since(pool.getStatus()), DELAY, T0.plusSeconds(60));
    assertThat(demandBack).isEqualTo(new Decision(2, Optional.empty()));
    pool.setStatus(statusWith(pool, demandBack.pending(), T0.plusSeconds(60)));
    assertThat(ScaleDownDelay.since(pool.getStatus())).isEmpty();

    Instant later = Instant.parse("2026-01-01T00:02:00Z");
    assertThat(ScaleDownDelay.decide(2, 1, 4, ScaleDownDelay.since(pool.getStatus()), DELAY, later))
        .isEqualTo(new Decision(2, Optional.of(new Pending(1, later, later.plus(DELAY)))));
  }

  @Test
  void aRestartedOperatorContinuesTheClockRecordedInTheStatus() {
    GpuPool pool = pool(1, 1, 0, 4);
    Decision first = ScaleDownDelay.decide(2, 1, 4, Optional.empty(), DELAY, T0);
    pool.setStatus(statusWith(pool, first.pending(), T0));

    // Another operator, with nothing in memory, reads the start back from the status.
    Optional<Instant> recorded = ScaleDownDelay.since(pool.getStatus());
    assertThat(recorded).contains(START);
    assertThat(ScaleDownDelay.decide(2, 1, 4, recorded, DELAY, T0.plus(Duration.ofMinutes(3))).pending())
        .contains(new Pending(1, START, REMOVE_AT));
    assertThat(ScaleDownDelay.decide(2, 1, 4, recorded, DELAY, REMOVE_AT)).isEqualTo(new Decision(1, Optional.empty()));
  }

  @Test
  void aSurplusThatGrowsKeepsItsClock() {
    assertThat(ScaleDownDelay.decide(4, 1, 4, Optional.of(START), DELAY, T0.plusSeconds(200)))
        .isEqualTo(new Decision(4, Optional.of(new Pending(3, START, REMOVE_AT))));
  }

  @Test
  void growingIsNeverDelayed() {
    assertThat(ScaleDownDelay.decide(1, 3, 4, Optional.of(START), DELAY, T0)).isEqualTo(new Decision(3, Optional.empty()));
  }

  @Test
  void workersBeyondTheMaximumGoAtOnce() {
    assertThat(ScaleDownDelay.decide(5, 1, 3, Optional.empty(), DELAY, T0))
        .isEqualTo(new Decision(3, Optional.of(new Pending(2, START, REMOVE_AT))));
    assertThat(ScaleDownDelay.decide(5, 3, 3, Optional.empty(), DELAY, T0)).isEqualTo(new Decision(3, Optional.empty()));
  }

  @Test
  void aZeroDelayRemovesAtOnce() {
    assertThat(ScaleDownDelay.decide(3, 1, 4, Optional.empty(), Duration.ZERO, T0)).isEqualTo(new Decision(1, Optional.empty()));
  }

  @Test
  void readsThePoolsDelayAndDefaultsToTheCrdsFiveMinutes() {
    GpuPool pool = pool(1, 1, 0, 4);
    assertThat(ScaleDownDelay.of(pool.getSpec())).isEqualTo(Duration.ofMinutes(5));
    pool.getSpec().setScaleDownDelay("1m30s");
    assertThat(ScaleDownDelay.of(pool.getSpec())).isEqualTo(Duration.ofSeconds(90));
  }

  private static GpuPoolStatus statusWith(GpuPool pool, Optional<Pending> pending, Instant now) {
    List<Pod> pods = List.of(worker("alpha-1", "2026-01-01T00:00:00Z", "Running", true),
        worker("alpha-2", "2026-01-01T00:00:00Z", "Running", true));
    return PoolStatus.desired(pool, 1, pods, pending, RolloutPlan.of(pods, "", 1, pool.getSpec(), now), "", now);
  }
}
