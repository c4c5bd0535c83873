package dev.kiln.bench.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.BenchScript;
import dev.kiln.bench.report.BenchResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/runtime-vs-onnxruntime.sh in its smoke mode, so that it cannot rot: Python's onnxruntime
 * (from PyPI, into a cached venv) and Kiln's runtime answer the same request alike, and every
 * candidate gets a positive, finite ratio.
 */
class RuntimeVsOnnxruntimeSmokeIT {

  private static final List<String> CANDIDATES =
      List.of("(a) python session.run", "(b) python http.server", "(c) kiln", "(d) kiln batched");

  @TempDir
  Path results;

  @Test
  void everyCandidateAnswersAndGetsARatioToPythonsServer() throws Exception {
    BenchResult result = BenchScript.run("runtime-vs-onnxruntime.sh", results, Duration.ofMinutes(8), "--smoke");

    assertThat(result.name()).isEqualTo("3-runtime-vs-onnxruntime");
    assertThat(result.command()).startsWith("bench/runtime-vs-onnxruntime.sh --smoke");
    assertThat(result.tables()).hasSize(2).allSatisfy(table -> {
      assertThat(table.rows()).extracting(row -> row.getFirst()).containsExactlyElementsOf(CANDIDATES);
      assertThat(table.rows()).filteredOn(row -> row.getFirst().startsWith("(b)"))
          .singleElement().satisfies(row -> assertThat(row.get(1)).isEqualTo("1.00×"));
    });
    assertThat(result.charts().getFirst().series()).hasSize(4).allSatisfy(series ->
        assertThat(series.values()).allSatisfy(value -> assertThat(value).isPositive().isFinite()));
    assertThat(result.findings()).isNotEmpty();
  }
}
