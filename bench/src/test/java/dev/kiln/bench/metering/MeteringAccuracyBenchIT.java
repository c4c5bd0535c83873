package dev.kiln.bench.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's smoke run, so that it cannot rot: a 20 s mixed load on a real control plane, node
 * agent, operator, gateway and runtime workers, every metered figure compared with its truth.
 */
class MeteringAccuracyBenchIT {

  @Test
  void aShortMixedLoadIsMeteredCloseToItsTruth() throws Exception {
    MeteringReport report = MeteringAccuracyBench.run(Path.of("target", "metering-accuracy-it"),
        MeteringAccuracyBench.SMOKE_LOAD);

    assertThat(report.keys()).hasSize(3).allSatisfy(key -> {
      assertThat(key.requests()).isPositive();
      // Loose bounds: this checks that the meters are read and compared, not how good they are.
      assertThat(MeteringReport.error(key.gatewaySeconds(), key.trueSeconds())).isBetween(-0.5, 0.5);
    });
    assertThat(report.models()).allSatisfy(model -> assertThat(model.busySeconds()).isPositive());
    assertThat(report.pools()).allSatisfy(pool -> {
      assertThat(pool.pods()).isPositive();
      assertThat(MeteringReport.error(pool.allocatedGpuSeconds(), pool.trueGpuSeconds())).isBetween(-0.5, 0.5);
    });
    assertThat(report.result("bench/metering-accuracy.sh --smoke", "2026-11-25T00:00:00Z").findings()).hasSize(3);
  }
}
