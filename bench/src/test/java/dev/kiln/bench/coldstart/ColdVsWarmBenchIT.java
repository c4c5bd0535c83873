package dev.kiln.bench.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's smoke run, so that it cannot rot: one round of every case on a real control plane,
 * node agent, operator, gateway and runtime workers, each case timed to its first answer.
 */
class ColdVsWarmBenchIT {

  @Test
  void oneRoundOfEveryCaseReachesItsFirstAnswer() throws Exception {
    ColdVsWarmReport report = ColdVsWarmBench.run(Path.of("target", "cold-vs-warm-it"), 1, false);

    for (ColdStart start : ColdStart.values()) {
      assertThat(report.times().get(start)).as(start.description()).singleElement()
          .matches(time -> time.compareTo(Duration.ZERO) > 0);
    }
    assertThat(report.burstInServiceTimes()).as("a burst waits at least for its own service").isGreaterThan(0.9);
    assertThat(report.result("bench/cold-vs-warm.sh --smoke", "2026-11-25T00:00:00Z").findings()).hasSize(3);
  }
}
