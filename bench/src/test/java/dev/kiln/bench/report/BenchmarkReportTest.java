package dev.kiln.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkReportTest {

  @TempDir
  Path directory;

  @Test
  void writesEveryResultInNameOrderWithItsCommandMachineTablesChartsAndFindings() throws Exception {
    Path results = directory.resolve("results");
    ResultFiles.write(result("2-second", "Second benchmark"), results);
    ResultFiles.write(result("1-first", "First benchmark"), results);
    Path report = directory.resolve("docs").resolve("benchmarks.md");
    Files.createDirectories(report.getParent());

    BenchmarkReport.write(ResultFiles.readAll(results), report);

    String text = Files.readString(report);
    assertThat(text.indexOf("## First benchmark")).isPositive().isLessThan(text.indexOf("## Second benchmark"));
    assertThat(text).contains("- [First benchmark](#first-benchmark)")
        .contains("Measured with `bench/x.sh --rounds 5` on " + Machine.current().describe() + ", 2026-11-25T10:00:00Z.")
        .contains("| candidate | p50 over direct |\n| --- | --- |\n| nginx | 1.00× |\n| kiln \\| gateway | 1.40× |\n")
        .contains("![Added latency](benchmarks/1-first-1.png)")
        .contains("- Kiln's gateway adds 40% over nginx.");
    BufferedImage chart = ImageIO.read(report.resolveSibling("benchmarks").resolve("1-first-1.png").toFile());
    assertThat(chart.getWidth()).isGreaterThan(400);
    assertThat(distinctColours(chart)).as("a drawn chart, not a blank image").isGreaterThan(10);
  }

  @Test
  void aRowThatDoesNotFitItsColumnsIsRefused() {
    assertThatThrownBy(() -> new BenchResult.Table("t", List.of("a", "b"), List.of(List.of("1")), null))
        .hasMessageContaining("row [1] has 1 cells for 2 columns");
  }

  @Test
  void aResultSurvivesItsJsonFile() {
    BenchResult result = result("1-first", "First benchmark");
    assertThat(ResultFiles.read(ResultFiles.write(result, directory))).isEqualTo(result);
  }

  private static BenchResult result(String name, String title) {
    return new BenchResult(name, title, "What was measured.", "bench/x.sh --rounds 5", "2026-11-25T10:00:00Z",
        Machine.current(),
        List.of(new BenchResult.Table(null, List.of("candidate", "p50 over direct"),
            List.of(List.of("nginx", "1.00×"), List.of("kiln | gateway", "1.40×")), "Median of 5 rounds.")),
        List.of(new BenchResult.Chart("Added latency", "× nginx", List.of("p50", "p99"),
            List.of(new BenchResult.Series("nginx", Arrays.asList(1.0, 1.0)),
                new BenchResult.Series("kiln", Arrays.asList(1.4, null))), 1.0)),
        List.of("Kiln's gateway adds 40% over nginx."));
  }

  private static long distinctColours(BufferedImage image) {
    return Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
        .distinct().count();
  }
}
