package dev.kiln.bench.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.kiln.bench.report.BenchResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdVsWarmReportTest {

  private static final ColdVsWarmReport REPORT = new ColdVsWarmReport(Map.of(
      ColdStart.WARM_CACHED, List.of(seconds(4), seconds(5)),
      ColdStart.WARM_DOWNLOAD, List.of(seconds(6), seconds(5)),
      ColdStart.NO_SPARE, List.of(seconds(12), seconds(10)),
      ColdStart.BUSY_BURST, List.of(seconds(2), seconds(2.2))), 0, Duration.ofSeconds(1));

  @Test
  void eachRoundIsDividedByTheSameRoundsWarmCachedTime() {
    assertThat(REPORT.ratiosToCached(ColdStart.NO_SPARE)).containsExactly(3.0, 2.0);
    assertThat(REPORT.medianRatio(ColdStart.WARM_DOWNLOAD)).isEqualTo(1.25);
    assertThat(REPORT.burstInServiceTimes()).isEqualTo(2.1, offset(1e-9));
  }

  @Test
  void theResultShowsEveryCaseAsARatioAndTheBaselinesDistribution() {
    BenchResult result = REPORT.result("bench/cold-vs-warm.sh --smoke", "2026-11-25T00:00:00Z");

    assertThat(result.name()).isEqualTo("2-cold-vs-warm");
    assertThat(result.tables().getFirst().rows()).hasSize(4);
    assertThat(result.tables().getFirst().rows().get(2)).containsExactly(ColdStart.NO_SPARE.description(), "2.50×",
        "2.00–3.00");
    assertThat(result.tables().get(1).rows().getFirst()).containsExactly("(a) apply to first answer, seconds", "4.00",
        "4.50", "5.00");
    assertThat(result.charts().getFirst().series().getFirst().values()).hasSize(4);
    assertThat(result.findings()).hasSize(3);
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
