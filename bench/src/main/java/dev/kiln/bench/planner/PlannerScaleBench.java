package dev.kiln.bench.planner;

import dev.kiln.bench.report.BenchResult;
import dev.kiln.bench.report.Machine;
import dev.kiln.bench.report.ResultOptions;
import dev.kiln.bench.report.Samples;
import dev.kiln.operator.residency.Plan;
import dev.kiln.operator.residency.PlanInput;
import dev.kiln.operator.residency.ResidencyPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How the residency planner scales: one plan of {@code 10,000 models × 1,000 workers} against one
 * of {@code 1,000 × 100} (a hundredth of the model-worker pairs), measured in the same run, the two
 * taking turns over rounds; the median of each is reported as a ratio, never as a bare time.
 *
 * <p>Usage: {@code bench/planner-scale.sh [--rounds N] [--smoke]}; {@code --smoke} plans tiny pools
 * (20 × 4 against 200 × 40), for CI.
 */
@Command(name = "planner-scale", mixinStandardHelpOptions = true,
    description = "The residency planner on 10,000 models × 1,000 workers against 1,000 × 100, as a ratio.")
public final class PlannerScaleBench implements Runnable {

  @Option(names = "--rounds", defaultValue = "5", description = "Rounds; each plans both sizes (default: ${DEFAULT-VALUE}).")
  private int rounds;

  @Option(names = "--smoke", description = "Tiny pools (20 × 4 against 200 × 40), to check that it runs.")
  private boolean smoke;

  @Mixin
  private ResultOptions results;

  /** One measured size. */
  record Size(int models, int workers) {

    long pairs() {
      return (long) models * workers;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%,d models × %,d workers", models, workers);
    }
  }

  /** What a run found: the medians, and what the larger plan placed. */
  record Report(Size baseline, Size target, double baselineMedianNanos, double targetMedianNanos, int rounds,
      int placedReplicas, int shortModels) {

    double ratio() {
      return targetMedianNanos / baselineMedianNanos;
    }

    /** The ratio over the growth in model-worker pairs: 1 is linear in pairs, below 1 better. */
    double ratioPerPair() {
      return ratio() / ((double) target.pairs() / baseline.pairs());
    }

    BenchResult result(String command, String date) {
      double growth = (double) target.pairs() / baseline.pairs();
      return new BenchResult("4b-planner-scale", "Control plane at scale: the residency planner alone", String.format(
          Locale.ROOT, """
          The pure residency planner (`dev.kiln.operator.residency.ResidencyPlanner`) plans %s, against a
          plan of %s measured in the same run: a hundredth of the model-worker pairs. The two take turns
          over %d rounds after a warm-up; the median of each is compared.""", target, baseline, rounds),
          command, date, Machine.current(),
          List.of(new BenchResult.Table("Planning time, relative to the baseline plan", List.of("plan", "median time",
              "model-worker pairs"), List.of(
                  List.of(baseline + " (baseline)", "1.00×", "1×"),
                  List.of(target.toString(), Samples.ratio(ratio()), String.format(Locale.ROOT, "%.0f×", growth))),
              String.format(Locale.ROOT, "%.2f× the baseline's time per model-worker pair. The larger plan placed "
                  + "%,d replicas; %,d models were short of their target.", ratioPerPair(), placedReplicas,
                  shortModels))),
          List.of(),
          List.of(String.format(Locale.ROOT, "Planning time grows %s linearly in model-worker pairs (%.2f× per "
              + "pair): %s take %.0f× the time of %s.", ratioPerPair() < 0.9 ? "less than" : ratioPerPair() <= 1.1 ? "about" : "more than", ratioPerPair(),
              target, ratio(), baseline)));
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new PlannerScaleBench()).execute(args));
  }

  @Override
  public void run() {
    Report report = smoke
        ? run(new Size(20, 4), new Size(200, 40), rounds)
        : run(new Size(1_000, 100), new Size(10_000, 1_000), rounds);
    BenchResult result = report.result(results.command("bench/planner-scale.sh" + (smoke ? " --smoke" : "")
        + " --rounds " + rounds), results.started());
    results.write(result);
  }

  static Report run(Size baseline, Size target, int rounds) {
    PlanInput small = PlannerInputs.of(baseline.models(), baseline.workers(), 42);
    PlanInput large = PlannerInputs.of(target.models(), target.workers(), 42);
    // Warm-up: the JIT compiles the planner before anything is measured.
    ResidencyPlanner.plan(small);
    Plan plan = ResidencyPlanner.plan(large);
    List<Long> smallNanos = new ArrayList<>();
    List<Long> largeNanos = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      smallNanos.add(time(small));
      largeNanos.add(time(large));
    }
    int placed = plan.placement().values().stream().mapToInt(java.util.Set::size).sum();
    int short_ = (int) plan.outcomes().values().stream().filter(outcome -> outcome.shortfall().isPresent()).count();
    return new Report(baseline, target, Samples.median(smallNanos), Samples.median(largeNanos), rounds, placed, short_);
  }

  private static long time(PlanInput input) {
    long started = System.nanoTime();
    ResidencyPlanner.plan(input);
    return System.nanoTime() - started;
  }
}
