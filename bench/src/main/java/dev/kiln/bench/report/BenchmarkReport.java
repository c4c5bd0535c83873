package dev.kiln.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes {@code docs/benchmarks.md} and its charts from the results the benchmarks left in a
 * directory: {@code bench/run-all.sh} runs them all, then this.
 */
@Command(name = "benchmark-report", mixinStandardHelpOptions = true,
    description = "Writes docs/benchmarks.md and its PNG charts from the benchmarks' results.")
public final class BenchmarkReport implements Runnable {

  @Option(names = "--results", defaultValue = "bench/target/results",
      description = "The benchmarks' results (default: ${DEFAULT-VALUE}).")
  private Path results;

  @Option(names = "--out", defaultValue = "docs/benchmarks.md", description = "The report (default: ${DEFAULT-VALUE}).")
  private Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchmarkReport()).execute(args));
  }

  @Override
  public void run() {
    List<BenchResult> all = ResultFiles.readAll(results);
    if (all.isEmpty()) {
      throw new IllegalStateException("no results in " + results + ": run the benchmarks first (bench/run-all.sh)");
    }
    write(all, out);
    System.out.println("wrote " + out + " from " + all.size() + " result(s)");
  }

  /** Writes the report, and its charts into a directory beside it named after it. */
  static void write(List<BenchResult> all, Path report) {
    String base = report.getFileName().toString().replaceFirst("\\.md$", "");
    Path chartDirectory = report.resolveSibling(base);
    try {
      Files.createDirectories(chartDirectory);
      StringBuilder text = new StringBuilder(intro(all));
      for (BenchResult result : all) {
        text.append(section(result, base, chartDirectory));
      }
      Files.writeString(report, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + report, e);
    }
  }

  private static String intro(List<BenchResult> all) {
    return """
        # Benchmarks

        Kiln measured against what a user would pick instead, side by side. These machines are noisy, so
        every figure is a ratio or a distribution against a baseline measured in the same run, the
        candidates taking turns over repeated rounds (median of at least 5; metering is one long run
        whose errors are against its own count), never a bare time. Each section names the command
        that produced it, the machine and the date.

        Everything here is written by `bench/run-all.sh` (the benchmarks, then
        `dev.kiln.bench.report.BenchmarkReport`); do not edit it by hand. The build runs every benchmark
        in a smoke mode (tiny sizes) so that none of them rots.

        """ + all.stream().map(result -> "- [" + result.title() + "](#" + anchor(result.title()) + ")")
        .collect(Collectors.joining("\n", "", "\n\n"));
  }

  private static String section(BenchResult result, String base, Path chartDirectory) {
    StringBuilder text = new StringBuilder("## ").append(result.title()).append("\n\n");
    text.append(result.summary().strip()).append("\n\n");
    text.append("Measured with `").append(result.command().replaceAll(" --results \\S+", "")).append("` on ").append(result.machine().describe())
        .append(", ").append(result.date()).append(".\n\n");
    for (BenchResult.Table table : result.tables()) {
      text.append(MarkdownTable.of(table));
    }
    for (int i = 0; i < result.charts().size(); i++) {
      String name = result.name() + "-" + (i + 1) + ".png";
      ChartImage.write(result.charts().get(i), chartDirectory.resolve(name));
      text.append("![").append(result.charts().get(i).title()).append("](").append(base).append('/').append(name)
          .append(")\n\n");
    }
    if (!result.findings().isEmpty()) {
      text.append(result.findings().stream().map(finding -> "- " + finding.strip())
          .collect(Collectors.joining("\n", "", "\n\n")));
    }
    return text.toString();
  }

  /** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
  static String anchor(String title) {
    return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }
}
