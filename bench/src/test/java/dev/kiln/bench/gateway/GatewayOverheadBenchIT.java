package dev.kiln.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.BenchScript;
import dev.kiln.bench.report.BenchResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/gateway-overhead.sh in its smoke mode, so that it cannot rot: Kiln as {@code kiln dev} runs
 * it on a real control plane, with nginx and Ray Serve installed by the script where missing (Debian's
 * package, and a cached venv), every candidate checked for the right answer, measured without a
 * failed request and given finite ratios.
 */
class GatewayOverheadBenchIT {

  private static final List<String> CANDIDATES = List.of(GatewayOverheadReport.DIRECT, GatewayOverheadReport.GATEWAY,
      GatewayOverheadReport.NGINX, GatewayOverheadReport.RAY);

  @TempDir
  Path results;

  @Test
  void everyCandidateIsMeasuredAndGetsARatioToNginx() throws Exception {
    BenchResult result = BenchScript.run("gateway-overhead.sh", results, Duration.ofMinutes(12), "--smoke");

    assertThat(result.name()).isEqualTo("1-gateway-overhead");
    BenchResult.Table throughput = result.tables().get(1);
    assertThat(throughput.title()).endsWith("relative to " + GatewayOverheadReport.NGINX);
    assertThat(throughput.rows()).extracting(row -> row.getFirst()).containsExactlyInAnyOrderElementsOf(CANDIDATES);
    assertThat(throughput.rows()).allSatisfy(row -> assertThat(row.getLast()).as("failed requests").isEqualTo("0"));
    BenchResult.Table latency = result.tables().getFirst();
    assertThat(latency.rows()).isNotEmpty().extracting(row -> row.get(1))
        .containsOnly(GatewayOverheadReport.GATEWAY, GatewayOverheadReport.NGINX, GatewayOverheadReport.RAY);
    assertThat(result.charts()).isNotEmpty().allSatisfy(chart -> assertThat(chart.series()).allSatisfy(series ->
        assertThat(series.values()).filteredOn(value -> value != null).isNotEmpty()
            .allSatisfy(value -> assertThat(value).isFinite())));
  }
}
