package dev.kiln.bench.report;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Option;

/**
 * The options every benchmark shares: where its result goes, and the command line the report names
 * beside its figures ({@code KILN_BENCH_COMMAND}, set by the benchmark's script in {@code bench/}).
 */
public final class ResultOptions {

  @Option(names = "--results", defaultValue = "bench/target/results",
      description = "Where to write the result for docs/benchmarks.md (default: ${DEFAULT-VALUE}).")
  private Path results;

  private final String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

  public Path results() {
    return results;
  }

  /** When the run started, ISO-8601 UTC. */
  public String started() {
    return started;
  }

  public String command(String fallback) {
    String command = System.getenv("KILN_BENCH_COMMAND");
    return command == null || command.isBlank() ? fallback : command.strip();
  }

  /** Prints the result's tables and findings, and writes it for the report. */
  public void write(BenchResult result) {
    result.tables().forEach(table -> System.out.print(MarkdownTable.of(table)));
    result.findings().forEach(finding -> System.out.println("- " + finding));
    System.out.println("result: " + ResultFiles.write(result, results));
  }
}
