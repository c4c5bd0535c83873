package dev.kiln.bench.controlplane;

import dev.kiln.bench.ChildProcesses;
import dev.kiln.bench.report.ResultOptions;
import dev.kiln.local.controlplane.KubernetesBinaries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The control plane at scale: 1,000 Models and 200 status-only workers applied at once, against 100
 * Models and 20 workers (a tenth of everything) measured in the same run, the two sizes taking turns
 * over rounds. Each round starts from nothing (a fresh control plane, node agent and operator
 * process) and ends when every pool and model has converged. Reported: the time to converge and the
 * operator's CPU time and live heap as ratios to the small size, the reconcile latency as a
 * distribution at both sizes, and the operator's API-server requests per reconcile at both.
 *
 * <p>Usage: {@code bench/control-plane-scale.sh [--rounds N] [--smoke] [--results DIR]}; {@code
 * --smoke} runs 10 Models on 2 workers against 5 on 1, for CI.
 */
@Command(name = "control-plane-scale", mixinStandardHelpOptions = true,
    description = "1,000 Models × 200 workers against 100 × 20: convergence, reconcile latency, requests, operator CPU and heap.")
public final class ControlPlaneScaleBench implements Runnable {

  static final ScaleSize BASELINE = new ScaleSize(100, 20, 1);
  static final ScaleSize TARGET = new ScaleSize(1_000, 200, 10);
  static final ScaleSize SMOKE_BASELINE = new ScaleSize(5, 1, 1);
  static final ScaleSize SMOKE_TARGET = new ScaleSize(10, 2, 1);

  @Option(names = "--rounds", defaultValue = "5",
      description = "Rounds; each runs both sizes, the small one first (default: ${DEFAULT-VALUE}).")
  private int rounds;

  @Option(names = "--smoke", description = "10 Models on 2 workers against 5 on 1, to check that it runs.")
  private boolean smoke;

  @Option(names = "--timeout", defaultValue = "PT40M",
      description = "How long one round may take to converge, ISO-8601 (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(names = "--work", defaultValue = "bench/target/control-plane-scale",
      description = "Where each round's control plane, node agent and operator keep their logs (default: ${DEFAULT-VALUE}).")
  private Path work;

  @Mixin
  private ResultOptions results;

  public static void main(String[] args) {
    ChildProcesses.stopAllOnJvmExit();
    System.exit(new CommandLine(new ControlPlaneScaleBench()).execute(args));
  }

  @Override
  public void run() {
    // Every component's log in one file, the console left to the progress and the figures.
    System.setProperty("logback.configurationFile", "kiln-cli-logback.xml");
    System.setProperty("kiln.dev.log", work.resolve("bench.log").toAbsolutePath().toString());
    ScaleReport report;
    try {
      report = smoke
          ? run(SMOKE_BASELINE, SMOKE_TARGET, rounds, timeout, work)
          : run(BASELINE, TARGET, rounds, timeout, work);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("the benchmark failed; the logs are under " + work, e);
    }
    results.write(report.result(results.command("bench/control-plane-scale.sh" + (smoke ? " --smoke" : "")
        + " --rounds " + rounds), results.started()));
  }

  /** {@code rounds} rounds, each of {@code baseline} and then {@code target}, each in a directory of its own under {@code work}. */
  static ScaleReport run(ScaleSize baseline, ScaleSize target, int rounds, Duration timeout, Path work)
      throws Exception {
    KubernetesBinaries binaries = KubernetesBinaries.locate();
    Path runDirectory = work.resolve(Long.toString(ProcessHandle.current().pid()));
    List<RoundResult> small = new ArrayList<>();
    List<RoundResult> large = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (ScaleSize size : List.of(baseline, target)) {
        System.out.printf(Locale.ROOT, "round %d of %d: %s ...%n", round, rounds, size);
        RoundResult result = ScaleRound.run(binaries, size, runDirectory.resolve("round-" + round + "-" + size.slug()),
            timeout);
        System.out.printf(Locale.ROOT, "  %s %.1f s, %,d reconciles, %,d API requests, %,d loads%n",
            result.converged() ? "converged in" : "NOT converged (%,d of %,d objects) after".formatted(
                result.convergedObjects(), size.objects()),
            result.converge().toMillis() / 1000.0, result.reconcileCount(), result.requests().total(), result.loads());
        (size.equals(baseline) ? small : large).add(result);
      }
    }
    return new ScaleReport(baseline, target, small, large);
  }
}
