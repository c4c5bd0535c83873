package dev.kiln.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.report.BenchResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's smoke mode, so that it cannot rot: 10 Models on 2 status-only workers against 5
 * on 1, one round each, on a real control plane with the operator in its own JVM.
 */
class ControlPlaneScaleBenchIT {

  @Test
  void theSmokeRunConvergesBothSizesAndReportsRatiosLatenciesAndRequests() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "control-plane-scale-it"));

    ScaleReport report = ControlPlaneScaleBench.run(ControlPlaneScaleBench.SMOKE_BASELINE,
        ControlPlaneScaleBench.SMOKE_TARGET, 1, Duration.ofMinutes(5), work);

    assertThat(Stream.concat(report.baselineRounds().stream(), report.targetRounds().stream())).allSatisfy(round -> {
      assertThat(round.converged()).isTrue();
      // Every resident replica was loaded through a fake runtime.
      assertThat(round.loadsPerReplica()).isGreaterThanOrEqualTo(1);
      assertThat(round.reconciles().get("model").count()).isGreaterThanOrEqualTo(round.size().models());
      assertThat(round.reconciles().get("gpupool").count()).isPositive();
      assertThat(round.requests().byVerb()).containsKeys("get", "patch", "create");
      assertThat(round.operatorCpu()).isPositive();
      assertThat(round.operatorLiveHeapBytes()).isPositive();
    });
    assertThat(report.convergeRatio()).isPositive().isFinite();
    assertThat(report.cpuRatio()).isPositive().isFinite();
    assertThat(report.heapRatio()).isPositive().isFinite();
    BenchResult result = report.result("bench/control-plane-scale.sh --smoke --rounds 1", "2026-11-25T00:00:00Z");
    assertThat(result.tables()).hasSize(4);
    assertThat(result.tables().getFirst().rows()).hasSize(4);
    assertThat(result.tables().get(1).rows()).hasSize(4);
    assertThat(result.findings()).hasSizeGreaterThanOrEqualTo(3);
  }
}
