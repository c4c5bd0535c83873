package dev.kiln.bench.planner;

import static org.assertj.core.api.Assertions.assertThat;

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
    assertThat(report.markdown()).contains("(baseline) | 1.00 |").contains("200 models × 40 workers")
        .contains("100× the pairs");
  }

  @Test
  void theSameSeedMakesTheSamePool() {
    assertThat(PlannerInputs.of(50, 10, 7)).isEqualTo(PlannerInputs.of(50, 10, 7));
  }
}
