package dev.kiln.bench.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.kiln.bench.report.BenchResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteringReportTest {

  private static final MeteringReport REPORT = new MeteringReport(Duration.ofMinutes(10), 6,
      List.of(new MeteringReport.KeyUsage("a", 100, 50, 50.5), new MeteringReport.KeyUsage("b", 10, 20, 19.8)),
      List.of(new MeteringReport.ModelUsage("fast", Duration.ofMillis(50), 200, 10, 11, 11),
          new MeteringReport.ModelUsage("slow", Duration.ofMillis(1000), 60, 60, 60.3, 60.3)),
      List.of(new MeteringReport.PoolUsage("small", 1, 2, 1200, 1194)), 0, Duration.ofSeconds(5));

  @Test
  void theErrorIsRelativeToTheTruth() {
    assertThat(MeteringReport.error(11, 10)).isEqualTo(0.1, offset(1e-12));
    assertThat(MeteringReport.error(1194, 1200)).isEqualTo(-0.005, offset(1e-12));
  }

  @Test
  void theResultHasAnErrorPerKeyModelAndPoolInTablesAndAChart() {
    BenchResult result = REPORT.result("bench/metering-accuracy.sh --smoke", "2026-11-25T00:00:00Z");

    assertThat(result.name()).isEqualTo("5-metering-accuracy");
    assertThat(result.tables().get(0).rows()).containsExactly(List.of("a", "100", "+1.00%"),
        List.of("b", "10", "-1.00%"));
    assertThat(result.tables().get(1).rows().getFirst()).containsExactly("fast", "50 ms", "200", "+10.00%",
        "+10.00%");
    assertThat(result.tables().get(2).rows()).containsExactly(List.of("small", "1", "2", "-0.50%"));
    assertThat(result.charts().getFirst().categories()).hasSize(5);
    assertThat(result.findings()).hasSize(3).first().asString().contains("within 1.00%");
    assertThat(result.summary()).contains("10 minutes");
  }
}
