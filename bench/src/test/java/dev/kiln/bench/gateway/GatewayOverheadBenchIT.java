package dev.kiln.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.report.BenchResult;
import dev.kiln.cli.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway-overhead benchmark's smoke mode on a real control plane, so that it cannot rot: Kiln
 * as {@code kiln dev} runs it, the direct call and the gateway always; nginx where Debian's package is
 * there or can be installed (as root); Ray Serve where {@code bench/gateway-overhead.sh} has installed
 * it (its venv under the Kiln cache), since the build does not install Ray.
 */
class GatewayOverheadBenchIT {

  @TempDir
  Path work;

  @Test
  void theSmokeRunMeasuresEveryCandidateThereIsAndReportsRatios() throws Exception {
    assertThat(DebianPackages.ensure("wrk", "wrk")).as("wrk, from Debian's package").isTrue();
    DebianPackages.ensure("nginx", "nginx-light");
    GatewayOverheadBench.Baselines baselines = GatewayOverheadBench.Baselines.find(Optional.empty());
    System.out.println("gateway-overhead smoke: direct and gateway, "
        + (baselines.nginx().isPresent() ? "nginx" : "NOT nginx (not installed)") + ", "
        + (baselines.rayPython().isPresent() ? "Ray Serve" : "NOT Ray Serve (bench/gateway-overhead.sh installs it)"));

    GatewayOverheadReport report =
        GatewayOverheadBench.run(GatewayOverheadBench.Plan.smoke(), work, baselines, new Progress(System.out));

    List<String> expected = new ArrayList<>(List.of(GatewayOverheadReport.DIRECT, GatewayOverheadReport.GATEWAY));
    baselines.nginx().ifPresent(nginx -> expected.add(GatewayOverheadReport.NGINX));
    baselines.rayPython().ifPresent(ray -> expected.add(GatewayOverheadReport.RAY));
    assertThat(report.candidates()).containsExactlyElementsOf(expected);
    assertThat(report.rates()).isNotEmpty();
    for (String candidate : report.candidates()) {
      assertThat(report.errors(candidate)).as(candidate + "'s failed requests").isZero();
      assertThat(report.throughputOver(candidate, GatewayOverheadReport.DIRECT)).as(candidate).isPositive().isFinite();
      for (double rate : report.rates()) {
        assertThat(report.latencyOverDirect(candidate, rate, LoadSummary::p99Micros)).isPositive().isFinite();
      }
    }
    BenchResult result = report.result("bench/gateway-overhead.sh --smoke", "2026-11-25T00:00:00Z");
    assertThat(result.tables().getFirst().rows()).hasSize(report.rates().size() * (expected.size() - 1));
    assertThat(result.tables().get(1).rows()).hasSize(expected.size());
  }
}
