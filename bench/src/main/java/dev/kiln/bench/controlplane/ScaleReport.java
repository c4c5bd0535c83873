package dev.kiln.bench.controlplane;

import dev.kiln.bench.report.BenchResult;
import dev.kiln.bench.report.Machine;
import dev.kiln.bench.report.Samples;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * What the rounds found, as the report shows it: the larger size's time to converge, operator CPU
 * and live heap as ratios of medians to the baseline's (with the spread of the per-round ratios),
 * the reconcile latency of each controller over every reconcile of every round at both sizes, and
 * the operator's API-server requests per reconcile at both.
 */
record ScaleReport(ScaleSize baseline, ScaleSize target, List<RoundResult> baselineRounds,
    List<RoundResult> targetRounds) {

  static final List<String> VERBS = List.of("get", "list", "watch", "create", "patch", "update", "delete");

  ScaleReport {
    baselineRounds = List.copyOf(baselineRounds);
    targetRounds = List.copyOf(targetRounds);
    if (baselineRounds.isEmpty() || baselineRounds.size() != targetRounds.size()) {
      throw new IllegalArgumentException("each round measures both sizes");
    }
  }

  /** How many times the baseline's objects the target has. */
  double growth() {
    return (double) target.models() / baseline.models();
  }

  double convergeRatio() {
    return ratioOfMedians(round -> round.converge().toNanos());
  }

  double cpuRatio() {
    return ratioOfMedians(round -> round.operatorCpu().toNanos());
  }

  double heapRatio() {
    return ratioOfMedians(RoundResult::operatorLiveHeapBytes);
  }

  /** Every reconcile of {@code controller} in every round of {@code size}'s rounds. */
  LatencyHistogram latency(List<RoundResult> rounds, String controller) {
    return rounds.stream().map(round -> round.reconciles().get(controller))
        .reduce(LatencyHistogram.empty(), LatencyHistogram::plus);
  }

  static double median(List<RoundResult> rounds, ToDoubleFunction<RoundResult> figure) {
    return Samples.median(rounds.stream().map(round -> figure.applyAsDouble(round)).toList());
  }

  private double ratioOfMedians(ToDoubleFunction<RoundResult> figure) {
    return median(targetRounds, figure) / median(baselineRounds, figure);
  }

  private String ratioRange(ToDoubleFunction<RoundResult> figure) {
    return Samples.range(IntStream.range(0, baselineRounds.size())
        .mapToObj(i -> figure.applyAsDouble(targetRounds.get(i)) / figure.applyAsDouble(baselineRounds.get(i)))
        .toList());
  }

  BenchResult result(String command, String date) {
    String growth = String.format(Locale.ROOT, "%.0f×", growth());
    return new BenchResult("4-control-plane-scale", "Control plane at scale: %s applied at once".formatted(target),
        summary(), command, date, Machine.current(),
        List.of(convergeTable(growth), latencyTable(), requestsTable(), churnTable()),
        List.of(new BenchResult.Chart("%s relative to %s (line: %s, linear in the objects)".formatted(target, baseline,
            growth), "× the baseline", List.of("time to converge", "operator CPU time", "operator live heap"),
            List.of(new BenchResult.Series(target.toString(), List.of(convergeRatio(), cpuRatio(), heapRatio()))),
            growth())),
        findings());
  }

  private String summary() {
    return String.format(Locale.ROOT, """
        %s (%d GpuPools of %d one-GPU workers; of every four synthetic Models two are Hot, one OnDemand \
        with a replica kept warm and one OnDemand with none) are created at once against a fresh local \
        control plane (etcd, kube-apiserver, kube-scheduler, kube-controller-manager), with the node \
        agent playing %d fake 8-GPU nodes in status-only mode (no process per pod; a fake runtime on \
        each worker pod's own loopback address answers the operator's loads, unloads and `/stats`), and \
        the operator in a JVM of its own under its ServiceAccount's token and the chart's RBAC. The \
        round ends when every pool is Ready with all its workers and every Model Ready with its minimum \
        replicas resident, as their statuses say. The baseline is the same at a tenth of the size, \
        %s (%d pool), measured in the same run, %s, each round from nothing. Reconcile latency is JOSDK's execution timer (Micrometer histogram) scraped from \
        the operator at convergence; its API requests are counted from kube-apiserver's audit log \
        (the operator's user only) over the same time. The operator's CPU time is its process's, from \
        the moment everything was applied; its live heap is its heap in use right after a full \
        collection at convergence.""",
        target, target.pools(), target.workersPerPool(), target.nodes(), baseline, baseline.pools(), rounds());
  }

  private String rounds() {
    return baselineRounds.size() == 1
        ? "one round of each, the smaller first"
        : "the two sizes taking turns over %d rounds".formatted(baselineRounds.size());
  }

  /** "≥ " where larger rounds timed out and the baseline's did not: their time is the timeout, a lower bound. */
  private String lowerBound() {
    return timedOut(targetRounds) > 0 && timedOut(baselineRounds) == 0 ? "≥ " : "";
  }

  private static long timedOut(List<RoundResult> rounds) {
    return rounds.stream().filter(round -> !round.converged()).count();
  }

  private List<RoundResult> roundsOf(ScaleSize size) {
    return size.equals(baseline) ? baselineRounds : targetRounds;
  }

  private BenchResult.Table convergeTable(String growth) {
    return new BenchResult.Table("Converging, relative to the baseline",
        List.of("figure", baseline + " (baseline)", target.toString(), "per-round ratios"),
        List.of(
            List.of("Models, pools and workers", "1×", growth, ""),
            List.of("time to converge", "1.00×", lowerBound() + Samples.ratio(convergeRatio()),
                ratioRange(round -> round.converge().toNanos())),
            List.of("operator CPU time", "1.00×", lowerBound() + Samples.ratio(cpuRatio()),
                ratioRange(round -> round.operatorCpu().toNanos())),
            List.of("operator live heap", "1.00×", Samples.ratio(heapRatio()),
                ratioRange(RoundResult::operatorLiveHeapBytes))),
        "Medians over the rounds; the last column is the range of the ratio within each round.");
  }

  private BenchResult.Table latencyTable() {
    List<List<String>> rows = new ArrayList<>();
    for (String controller : ScaleRound.CONTROLLERS) {
      for (ScaleSize size : List.of(baseline, target)) {
        List<RoundResult> rounds = roundsOf(size);
        LatencyHistogram latency = latency(rounds, controller);
        double perObject = median(rounds, round -> round.reconciles().get(controller).count())
            / (controller.equals("model") ? size.models() : size.pools());
        rows.add(List.of(controller, size.toString(), String.format(Locale.ROOT, "%.1f", perObject),
            millis(latency.quantileSeconds(0.5)), millis(latency.quantileSeconds(0.99))));
      }
    }
    return new BenchResult.Table("Reconcile latency, every reconcile of every round",
        List.of("controller", "size", "reconciles per object (median round)", "p50", "p99"), rows,
        "From the histogram buckets of operator_sdk_controllers_execution_reconcile_seconds, interpolated "
            + "within a bucket.");
  }

  private BenchResult.Table requestsTable() {
    List<String> columns = new ArrayList<>(List.of("size", "all"));
    columns.addAll(VERBS);
    columns.add("refused: 409 Conflict");
    List<List<String>> rows = new ArrayList<>();
    for (ScaleSize size : List.of(baseline, target)) {
      List<RoundResult> rounds = roundsOf(size);
      List<String> row = new ArrayList<>(List.of(size.toString(), perReconcile(median(rounds,
          RoundResult::requestsPerReconcile))));
      VERBS.forEach(verb -> row.add(perReconcile(median(rounds, round -> round.requestsPerReconcile(verb)))));
      row.add(perReconcile(median(rounds, RoundResult::conflictsPerReconcile)));
      rows.add(row);
    }
    return new BenchResult.Table("The operator's API-server requests per reconcile", columns, rows,
        "Its requests from applying to convergence (the audit log), over its reconciles of both controllers "
            + "in that time; medians over the rounds.");
  }

  private BenchResult.Table churnTable() {
    List<List<String>> rows = new ArrayList<>();
    for (ScaleSize size : List.of(baseline, target)) {
      List<RoundResult> rounds = roundsOf(size);
      rows.add(List.of(size.toString(), String.format(Locale.ROOT, "%,d", ScaleWorkload.residentReplicas(size)),
          perReconcile(median(rounds, RoundResult::loadsPerReplica)),
          perReconcile(median(rounds, RoundResult::unloadsPerReplica))));
    }
    return new BenchResult.Table("Loads and unloads until converged, per replica to make resident",
        List.of("size", "replicas to make resident", "loads per replica", "unloads per replica"), rows,
        "As the fake runtimes counted them; 1 load and 0 unloads is a replica loaded once, where it stayed. "
            + "Medians over the rounds.");
  }

  private List<String> findings() {
    List<String> findings = new ArrayList<>();
    for (ScaleSize size : List.of(baseline, target)) {
      List<RoundResult> rounds = roundsOf(size);
      if (timedOut(rounds) > 0) {
        findings.add(String.format(Locale.ROOT, "%d of %d rounds of %s had not converged at the timeout (at best %,d "
                + "of %,d pools and models as desired): their time and CPU run to the timeout, so the ratios that "
                + "use them are bounds, not measurements.", timedOut(rounds), rounds.size(), size,
            rounds.stream().mapToInt(RoundResult::convergedObjects).max().orElseThrow(), size.objects()));
      }
    }
    if (lowerBound().isEmpty()) {
      findings.add(String.format(Locale.ROOT, "%.0f× the objects took %s the time to converge, %s the operator's "
              + "CPU time and %s its live heap: the time %s, the CPU %s, the heap %s.", growth(),
          Samples.ratio(convergeRatio()), Samples.ratio(cpuRatio()), Samples.ratio(heapRatio()),
          scaling(convergeRatio()), scaling(cpuRatio()), scaling(heapRatio())));
    } else {
      findings.add(String.format(Locale.ROOT, "%.0f× the objects took more than %s the time to converge and more "
              + "than %s the operator's CPU time (the larger size had not converged at the timeout), and %s its "
              + "live heap: the heap %s.", growth(), Samples.ratio(convergeRatio()), Samples.ratio(cpuRatio()),
          Samples.ratio(heapRatio()), scaling(heapRatio())));
    }
    LatencyHistogram small = latency(baselineRounds, "model");
    LatencyHistogram large = latency(targetRounds, "model");
    String latency = String.format(Locale.ROOT, "The Model reconciler's p50 went from %s to %s and its p99 from %s "
            + "to %s.", millis(small.quantileSeconds(0.5)), millis(large.quantileSeconds(0.5)),
        millis(small.quantileSeconds(0.99)), millis(large.quantileSeconds(0.99)));
    if (samePoolShape()) {
      latency += String.format(Locale.ROOT, " Every pool has %d workers and %d Models at both sizes, so each "
          + "reconcile plans a pool of the same size", target.workersPerPool(), target.models() / target.pools());
      latency += large.quantileSeconds(0.99) > 1.2 * small.quantileSeconds(0.99)
          ? String.format(Locale.ROOT, "; what grows with the objects is the queue of reconciles, and the API "
              + "server, etcd and node agent sharing this machine's %d cores with the operator.",
              Runtime.getRuntime().availableProcessors())
          : ".";
    }
    findings.add(latency);
    double smallReconciles = reconcilesPerObject(baselineRounds);
    double largeReconciles = reconcilesPerObject(targetRounds);
    if (smallReconciles > 2 * largeReconciles) {
      findings.add(String.format(Locale.ROOT, "The baseline ran %.1f reconciles per object and %s %.1f: a worker "
          + "pod's every change triggers a reconcile of each Model of its pool, and while reconciles are slow, JOSDK "
          + "merges the events that wait for one. So the larger size did less work per object, which is much of why "
          + "its time and CPU grew less than the objects did.", smallReconciles, target, largeReconciles));
    }
    findings.add(requestsFinding());
    double loads = median(targetRounds, RoundResult::loadsPerReplica);
    if (loads > 1.5) {
      findings.add(String.format(Locale.ROOT, "Before converging, the operator loaded each replica %.1f times on "
              + "average at %s (%.1f at the baseline) and unloaded %.1f per replica. Every Model's reconcile plans "
              + "its whole pool from the state it observes; while the pool's other Models are still loading, that "
              + "state, and so the plan, likely changes from one reconcile to the next, and replicas placed by one "
              + "are moved by the next.",
          loads, target, median(baselineRounds, RoundResult::loadsPerReplica),
          median(targetRounds, RoundResult::unloadsPerReplica)));
    }
    return findings;
  }

  private static double reconcilesPerObject(List<RoundResult> rounds) {
    return median(rounds, round -> round.reconciles().values().stream().mapToDouble(LatencyHistogram::count).sum())
        / rounds.getFirst().size().objects();
  }

  private boolean samePoolShape() {
    return baseline.workersPerPool() == target.workersPerPool()
        && baseline.models() / baseline.pools() == target.models() / target.pools();
  }

  private String requestsFinding() {
    double smallRate = median(baselineRounds, RoundResult::requestsPerReconcile);
    double largeRate = median(targetRounds, RoundResult::requestsPerReconcile);
    String topVerb = VERBS.stream()
        .max(Comparator.comparingDouble(verb -> median(targetRounds, round -> round.requestsPerReconcile(verb))))
        .orElseThrow();
    double top = median(targetRounds, round -> round.requestsPerReconcile(topVerb));
    String finding = String.format(Locale.ROOT, "The operator made %s API requests per reconcile at the baseline "
        + "and %s at %.0f× the objects; most are %s requests (%s per reconcile).", perReconcile(smallRate),
        perReconcile(largeRate), growth(), topVerb, perReconcile(top));
    if (topVerb.equals("get")) {
      finding += " The Model reconciler GETs its GpuPool from the API server on every reconcile, and every edit of "
          + "a worker pod's annotations GETs the pod afresh before patching it, rather than reading an informer's "
          + "cache.";
    }
    double conflicts = median(targetRounds, RoundResult::conflictsPerReconcile);
    if (conflicts > 0) {
      finding += String.format(Locale.ROOT, " %s requests per reconcile were refused with 409 Conflict, most likely "
          + "concurrent reconciles of one pool's Models editing the same worker pod's annotations; each is read "
          + "and sent again.", perReconcile(conflicts));
    }
    return finding;
  }

  /** How a ratio compares with the growth in objects. */
  private String scaling(double ratio) {
    double perObject = ratio / growth();
    if (perObject < 0.8) {
      return String.format(Locale.ROOT, "sublinear (%.2f× per object)", perObject);
    }
    if (perObject <= 1.25) {
      return String.format(Locale.ROOT, "about linear (%.2f× per object)", perObject);
    }
    return String.format(Locale.ROOT, "superlinear (%.2f× per object)", perObject);
  }

  private static String millis(double seconds) {
    return String.format(Locale.ROOT, "%.1f ms", seconds * 1000);
  }

  private static String perReconcile(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
