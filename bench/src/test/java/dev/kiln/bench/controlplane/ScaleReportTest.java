package dev.kiln.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.bench.report.BenchResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleReportTest {

  private static final ScaleSize SMALL = new ScaleSize(100, 20, 1);
  private static final ScaleSize LARGE = new ScaleSize(1_000, 200, 10);

  private static LatencyHistogram reconciles(int fast, int slow) {
    return LatencyHistogram.of(PrometheusText.parse("""
        b{le="0.01"} %d
        b{le="1.0"} %d
        b{le="+Inf"} %d
        """.formatted(fast, fast + slow, fast + slow)), "b", Map.of());
  }

  private static RoundResult round(ScaleSize size, int seconds, int cpuSeconds, long heap, int reconciles, long gets) {
    return new RoundResult(size, size.objects(), Duration.ofSeconds(seconds), Duration.ofSeconds(cpuSeconds), heap,
        Map.of("model", reconciles(reconciles, 0), "gpupool", reconciles(size.pools(), size.pools())),
        new AuditedRequests(Map.of("get", gets, "patch", gets / 2), gets / 10),
        ScaleWorkload.residentReplicas(size) * 3L, ScaleWorkload.residentReplicas(size) * 2L);
  }

  private final ScaleReport report = new ScaleReport(SMALL, LARGE,
      List.of(round(SMALL, 10, 4, 100, 400, 800), round(SMALL, 12, 5, 110, 400, 800)),
      List.of(round(LARGE, 150, 60, 300, 4000, 8000), round(LARGE, 170, 70, 320, 4000, 8000)));

  @Test
  void ratiosAreOfTheMediansOfEachSize() {
    assertThat(report.growth()).isEqualTo(10);
    assertThat(report.convergeRatio()).isCloseTo(160.0 / 11, within(1e-9));
    assertThat(report.cpuRatio()).isCloseTo(65.0 / 4.5, within(1e-9));
    assertThat(report.heapRatio()).isCloseTo(310.0 / 105, within(1e-9));
  }

  @Test
  void aRoundThatTimedOutMakesItsRatiosBoundsAndSaysSo() {
    RoundResult timedOut = new RoundResult(LARGE, 600, Duration.ofSeconds(1200), Duration.ofSeconds(500), 300,
        Map.of("model", reconciles(4000, 0), "gpupool", reconciles(10, 10)), new AuditedRequests(Map.of("get", 10L), 0),
        900, 150);
    BenchResult result = new ScaleReport(SMALL, LARGE, List.of(round(SMALL, 10, 4, 100, 400, 800)), List.of(timedOut))
        .result("bench/control-plane-scale.sh", "2026-11-25T00:00:00Z");

    assertThat(result.tables().getFirst().rows().get(1).get(2)).isEqualTo("≥ 120.00×");
    assertThat(result.findings().getFirst()).contains("1 of 1 rounds of 1,000 Models × 200 workers had not converged",
        "600 of 1,010");
    assertThat(result.findings().get(1)).contains("more than 120.00× the time to converge").doesNotContain("the CPU ");
  }

  @Test
  void fewerReconcilesPerObjectAtTheLargerSizeAreNamedAsACauseOfItsSublinearTime() {
    BenchResult result = new ScaleReport(SMALL, LARGE, List.of(round(SMALL, 40, 20, 100, 6800, 800)),
        List.of(round(LARGE, 90, 30, 300, 3400, 8000))).result("bench/control-plane-scale.sh", "2026-11-25T00:00:00Z");

    assertThat(result.findings()).anySatisfy(finding -> assertThat(finding)
        .contains("The baseline ran 67.3 reconciles per object and 1,000 Models × 200 workers 3.4", "JOSDK"));
    assertThat(report.result("bench/control-plane-scale.sh", "2026-11-25T00:00:00Z").findings())
        .noneSatisfy(finding -> assertThat(finding).contains("JOSDK"));
  }

  @Test
  void theResultHasItsTablesRowsAndFindings() {
    BenchResult result = report.result("bench/control-plane-scale.sh", "2026-11-25T00:00:00Z");

    assertThat(result.name()).isEqualTo("4-control-plane-scale");
    assertThat(result.tables()).hasSize(4);
    assertThat(result.tables().get(0).rows()).hasSize(4);
    assertThat(result.tables().get(0).rows().get(1)).containsExactly("time to converge", "1.00×", "14.55×",
        "14.17–15.00");
    assertThat(result.tables().get(1).rows()).hasSize(4)
        .allSatisfy(row -> assertThat(row.get(3)).endsWith(" ms"));
    assertThat(result.tables().get(2).rows()).hasSize(2);
    assertThat(result.tables().get(2).rows().get(1)).startsWith(LARGE.toString(), "2.99", "1.99");
    assertThat(result.charts().getFirst().series().getFirst().values()).allSatisfy(v -> assertThat(v).isPositive());
    assertThat(result.tables().get(3).rows().get(1)).containsExactly(LARGE.toString(), "750", "3.00", "2.00");
    assertThat(result.findings()).hasSize(4);
    assertThat(result.findings().getFirst()).contains("10× the objects took 14.55× the time", "superlinear");
    assertThat(result.findings().get(2)).contains("get requests", "409 Conflict");
    assertThat(result.findings().get(3)).contains("loaded each replica 3.0 times");
  }
}
