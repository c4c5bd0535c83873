package dev.kiln.bench.metering;

import dev.kiln.bench.report.BenchResult;
import dev.kiln.bench.report.Machine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the metering benchmark found: each metered quantity against the ground truth the load and
 * the pod watch know, as a relative error.
 *
 * @param load how long the mixed load ran
 * @param clients how many clients sent it at once
 * @param unanswered requests of the load that got no answer (not metered, not counted in the truth)
 * @param usageInterval how often the operator collects usage
 */
record MeteringReport(Duration load, int clients, List<KeyUsage> keys, List<ModelUsage> models, List<PoolUsage> pools,
    long unanswered, Duration usageInterval) {

  /** One API key: its answered requests, their compute by the load's count and by the gateway's meter. */
  record KeyUsage(String key, long requests, double trueSeconds, double gatewaySeconds) {}

  /** One model: its compute by the load's count, by the gateway and by the operator's busy time. */
  record ModelUsage(String model, Duration serviceTime, long requests, double trueSeconds, double gatewaySeconds,
      double busySeconds) {}

  /** One pool: allocated GPU-seconds by the pods' own timestamps and by the operator's meter. */
  record PoolUsage(String pool, int gpusPerWorker, long pods, double trueGpuSeconds, double allocatedGpuSeconds) {}

  MeteringReport {
    keys = List.copyOf(keys);
    models = List.copyOf(models);
    pools = List.copyOf(pools);
  }

  /** (metered − truth) / truth. */
  static double error(double metered, double truth) {
    return (metered - truth) / truth;
  }

  BenchResult result(String command, String date) {
    List<BenchResult.Table> tables = List.of(
        new BenchResult.Table("Per API key: compute seconds metered by the gateway", List.of("API key", "requests",
            "relative error"), keys.stream().map(key -> List.of(key.key(), Long.toString(key.requests()),
                percent(error(key.gatewaySeconds(), key.trueSeconds())))).toList(),
            "Truth: the key's answered requests times each one's model service time."),
        new BenchResult.Table("Per model: compute seconds (gateway) and busy seconds (operator)", List.of("model",
            "service time", "requests", "gateway compute error", "operator busy error"), models.stream()
            .map(model -> List.of(model.model(), model.serviceTime().toMillis() + " ms",
                Long.toString(model.requests()), percent(error(model.gatewaySeconds(), model.trueSeconds())),
                percent(error(model.busySeconds(), model.trueSeconds())))).toList(),
            "Truth: the model's answered requests times its service time."),
        new BenchResult.Table("Per pool: allocated GPU-seconds metered by the operator", List.of("pool",
            "GPUs per worker", "worker pods", "relative error"), pools.stream().map(pool -> List.of(pool.pool(),
                Integer.toString(pool.gpusPerWorker()), Long.toString(pool.pods()),
                percent(error(pool.allocatedGpuSeconds(), pool.trueGpuSeconds())))).toList(),
            "Truth: each worker pod's runtime container from its start to its finish (or its deletion, as a "
                + "watch of its own saw it), times the pool's GPUs per worker."));
    List<String> categories = new ArrayList<>();
    List<Double> errors = new ArrayList<>();
    keys.forEach(key -> {
      categories.add("key " + key.key());
      errors.add(100 * error(key.gatewaySeconds(), key.trueSeconds()));
    });
    models.forEach(model -> {
      categories.add("busy " + model.model());
      errors.add(100 * error(model.busySeconds(), model.trueSeconds()));
    });
    pools.forEach(pool -> {
      categories.add("GPU-s " + pool.pool());
      errors.add(100 * error(pool.allocatedGpuSeconds(), pool.trueGpuSeconds()));
    });
    return new BenchResult("5-metering-accuracy", "Metering accuracy", String.format(Locale.ROOT, """
        A mixed load of %s: %d clients, each request with one of %d API keys (weighted 1:2:3), to one of %d
        synthetic models with different service times on %d pools, as a run or as a queued request (submit,
        poll, result; 30%%). The load counts what was answered; a watch of its own records each worker pod's
        start and end. After the load, the operator's busy time is read once it has stopped changing, then
        the pools are deleted and their allocated GPU-seconds read once the ended pods are folded in (the
        operator collects usage every %d s). %d requests got no answer and count on neither side.""",
        describe(load), clients, keys.size(), models.size(), pools.size(), usageInterval.toSeconds(), unanswered),
        command, date, Machine.current(), tables,
        List.of(new BenchResult.Chart("Relative error of the metered figures", "error, %", categories,
            List.of(new BenchResult.Series("metered vs truth", errors)), 0.0)),
        findings());
  }

  private List<String> findings() {
    List<String> findings = new ArrayList<>();
    KeyUsage worstKey = keys.stream()
        .max(Comparator.comparingDouble(key -> Math.abs(error(key.gatewaySeconds(), key.trueSeconds())))).orElseThrow();
    double keyError = error(worstKey.gatewaySeconds(), worstKey.trueSeconds());
    findings.add(String.format(Locale.ROOT, "Per key, the gateway's compute seconds are within %s of the truth "
        + "(worst: %s). %s", magnitude(keyError), worstKey.key(), keyError >= 0
        ? "They run high: the gateway bills the time the worker measured for the request, which includes its "
            + "own decoding and answering on top of the model's service time, so a fast model is billed the most "
            + "above its work."
        : "They run low: some answered requests were not billed their full time."));
    ModelUsage fastest = models.stream().min(Comparator.comparing(ModelUsage::serviceTime)).orElseThrow();
    ModelUsage slowest = models.stream().max(Comparator.comparing(ModelUsage::serviceTime)).orElseThrow();
    double fastError = error(fastest.gatewaySeconds(), fastest.trueSeconds());
    double slowError = error(slowest.gatewaySeconds(), slowest.trueSeconds());
    findings.add(String.format(Locale.ROOT, "%s: %s (%d ms a request) is billed %s by the gateway and %s by the "
        + "operator's busy time, %s (%d ms) %s. Both meters take the time the runtime measured around each "
        + "request, so they agree with each other and differ from the truth by the same fixed cost per request.",
        Math.abs(fastError) > Math.abs(slowError) ? "The error grows as requests get shorter"
            : "The error does not grow as requests get shorter",
        fastest.model(), fastest.serviceTime().toMillis(), percent(fastError),
        percent(error(fastest.busySeconds(), fastest.trueSeconds())), slowest.model(),
        slowest.serviceTime().toMillis(), percent(slowError)));
    double worstPool = pools.stream().mapToDouble(pool -> error(pool.allocatedGpuSeconds(), pool.trueGpuSeconds()))
        .map(Math::abs).max().orElseThrow();
    findings.add(String.format(Locale.ROOT, "Allocated GPU-seconds are within %s of the pods' own timestamps. "
        + "Both sides read Kubernetes timestamps, which have whole seconds; the meter also sees a pod only at "
        + "each collection, so a pod that ends between two collections and vanishes before the next is counted "
        + "to the last time it was seen, short by up to one interval.", magnitude(worstPool)));
    return findings;
  }

  private static String describe(Duration load) {
    return load.toSeconds() % 60 == 0 ? load.toMinutes() + " minutes" : load.toSeconds() + " s";
  }

  private static String magnitude(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * Math.abs(fraction));
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%+.2f%%", 100 * fraction);
  }
}
