package dev.kiln.bench.coldstart;

import dev.kiln.bench.report.BenchResult;
import dev.kiln.bench.report.Machine;
import dev.kiln.bench.report.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the cold-start benchmark measured, round by round, and how the report shows it: each case as
 * a ratio to case (a) of the same round.
 *
 * @param times each case's time per round: apply to first answer, or the burst to its first answer
 * @param scaledUp in how many rounds the burst's pool had a second worker once the burst was answered
 * @param serviceTime the synthetic model's time per request in the burst
 */
record ColdVsWarmReport(Map<ColdStart, List<Duration>> times, int scaledUp, Duration serviceTime) {

  ColdVsWarmReport {
    times = new EnumMap<>(times);
    times.replaceAll((start, list) -> List.copyOf(list));
  }

  int rounds() {
    return times.get(ColdStart.WARM_CACHED).size();
  }

  /** Each round's time of {@code start} over the same round's (a). */
  List<Double> ratiosToCached(ColdStart start) {
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < rounds(); round++) {
      ratios.add(seconds(times.get(start).get(round)) / seconds(times.get(ColdStart.WARM_CACHED).get(round)));
    }
    return ratios;
  }

  double medianRatio(ColdStart start) {
    return Samples.median(ratiosToCached(start));
  }

  /** The burst's first answer over the synthetic model's service time, median over rounds. */
  double burstInServiceTimes() {
    return Samples.median(times.get(ColdStart.BUSY_BURST).stream()
        .map(time -> seconds(time) / seconds(serviceTime)).toList());
  }

  BenchResult result(String command, String date) {
    List<List<String>> rows = new ArrayList<>();
    for (ColdStart start : ColdStart.values()) {
      List<Double> ratios = ratiosToCached(start);
      rows.add(List.of(start.description(), Samples.ratio(Samples.median(ratios)), Samples.range(ratios)));
    }
    List<Double> cached = times.get(ColdStart.WARM_CACHED).stream().map(ColdVsWarmReport::seconds).toList();
    List<Double> burst = times.get(ColdStart.BUSY_BURST).stream().map(ColdVsWarmReport::seconds).toList();
    return new BenchResult("2-cold-vs-warm", "Cold vs warm: from kubectl apply to the first answer",
        String.format(Locale.ROOT, """
            The time from applying a Model to its first successful answer through the gateway (a client
            that sends the run again while the gateway does not know the model or has no replica ready, and
            stops at the first 200), for the real U²-Net-p background-removal model (4.6 MB ONNX): (a) a warm
            spare worker with the model already in its cache, (b) a warm spare that downloads it from an HTTPS
            server on loopback, (c) no spare, so a pod starts, then the runtime, then the download and the load.
            A fourth case applies a synthetic model with %d ms per request and one request at a time per
            worker (up to two workers), keeps its one worker busy, and times a burst of %d requests to its
            first answer: served from the queue when the busy request ends, or by a second worker. Each case
            has a pool and model of its own, deleted (workers gone) before the next; the cases take turns
            over %d rounds, and each round's times are divided by the same round's (a).""",
            serviceTime.toMillis(), ColdStarts.BURST, rounds()),
        command, date, Machine.current(),
        List.of(
            new BenchResult.Table("Time to the first answer, relative to (a) in the same round",
                List.of("case", "median", "range over rounds"), rows,
                "The burst's row is the time from the burst to its first answer, over (a)'s apply-to-answer "
                    + "time. (a)'s own spread is in the next table."),
            new BenchResult.Table("The baseline's distribution, and the burst against its service time",
                List.of("measure", "min", "median", "max"), List.of(
                    List.of("(a) apply to first answer, seconds", format(min(cached)), format(Samples.median(cached)),
                        format(max(cached))),
                    List.of("burst to first answer, in service times", format(min(burst) / seconds(serviceTime)),
                        format(burstInServiceTimes()), format(max(burst) / seconds(serviceTime)))),
                String.format(Locale.ROOT, "The burst's pool had a second worker once the burst was answered in "
                    + "%d of %d rounds.", scaledUp, rounds()))),
        List.of(new BenchResult.Chart("Time to the first answer, relative to (a)", "× (a)",
            List.of(ColdStart.values()).stream().map(ColdStart::slug).toList(),
            List.of(new BenchResult.Series("median over rounds", List.of(ColdStart.values()).stream()
                .map(this::medianRatio).toList())), 1.0)),
        findings());
  }

  private List<String> findings() {
    double download = medianRatio(ColdStart.WARM_DOWNLOAD);
    double noSpare = medianRatio(ColdStart.NO_SPARE);
    List<String> findings = new ArrayList<>();
    findings.add(download < 1.15
        ? String.format(Locale.ROOT, "With the download, the first answer takes %s of (a): fetching 4.6 MB from "
            + "loopback is lost in the load and first inference, which a fresh runtime pays in full (ONNX Runtime's "
            + "session and first run in a new JVM). From a real registry, or for a model of gigabytes, the download "
            + "would weigh far more.", Samples.ratio(download))
        : String.format(Locale.ROOT, "The download makes the first answer take %s as long as (a), even from "
            + "loopback: the runtime streams the file to disk and checks its sha256 before the load starts.",
            Samples.ratio(download)));
    findings.add(String.format(Locale.ROOT, "Without a warm spare the first answer takes %s as long as (a), "
        + "%s as long as (b): the pod is scheduled and started and its runtime JVM starts before the download "
        + "and load can begin. This is what warm spares buy; a pool without them pays it for every new model.",
        Samples.ratio(noSpare), Samples.ratio(noSpare / download)));
    double burst = burstInServiceTimes();
    findings.add(String.format(Locale.ROOT, "A burst on a busy worker got its first answer after %.1f service "
        + "times (median): %s. The pool had a second worker afterwards in %d of %d rounds; a scale-up must "
        + "start a pod and a runtime first, which case (c) shows is slower than a short queue.", burst,
        burst <= 2.2 ? "it waited in the gateway's queue for the busy request to end, then for its own service"
            : "longer than queueing behind one request would take, so dispatch or scheduling added time",
        scaledUp, rounds()));
    return findings;
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
