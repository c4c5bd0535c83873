package dev.kiln.bench.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.report.BenchResult;
import org.junit.jupiter.api.Test;

/** The benchmark's smoke mode, so that it cannot rot: tiny pools, a report with its ratios. */
class PlannerScaleBenchTest {

  @Test
  void theSmokeRunPlansBothSizesAndReportsARatio() {
    PlannerScaleBench.Report report =
        PlannerScaleBench.run(new PlannerScaleBench.Size(20, 4), new PlannerScaleBench.Size(200, 40), 3);

    assertThat(report.baselineMedianNanos()).isPositive();
    assertThat(report.ratio()).isPositive().isFinite();
    assertThat(report.placedReplicas()).isPositive();
    BenchResult result = report.result("bench/planner-scale.sh --smoke", "2026-11-25T00:00:00Z");
    assertThat(result.tables().getFirst().rows()).hasSize(2);
    assertThat(result.tables().getFirst().rows().get(1)).contains("200 models × 40 workers", "100×");
  }

  @Test
  void theSameSeedMakesTheSamePool() {
    assertThat(PlannerInputs.of(50, 10, 7)).isEqualTo(PlannerInputs.of(50, 10, 7));
  }
}
