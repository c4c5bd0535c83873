package dev.kiln.bench.gateway;

import dev.kiln.bench.report.BenchResult;
import dev.kiln.bench.report.Machine;
import dev.kiln.bench.report.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The gateway-overhead figures from the rounds: latency added over the direct call at each fixed
 * rate (the difference within each round, median over rounds) and maximum throughput (the ratio
 * within each round, median over rounds), both as ratios to nginx.
 *
 * @param candidates in the order measured, {@link #DIRECT} and {@link #GATEWAY} first
 * @param rates the fixed rates, requests a second
 * @param setup markdown that says how the candidates and the load were set up
 * @param notes what could not be measured, and why
 */
record GatewayOverheadReport(List<String> candidates, List<Double> rates, List<Round> rounds, String setup,
    List<String> notes) {

  static final String DIRECT = "direct (runtime)";
  static final String GATEWAY = "Kiln gateway";
  static final String NGINX = "nginx";
  static final String RAY = "Ray Serve";

  GatewayOverheadReport {
    candidates = List.copyOf(candidates);
    rates = List.copyOf(rates);
    rounds = List.copyOf(rounds);
    notes = List.copyOf(notes);
  }

  /** The proxies: every candidate but the direct call. */
  List<String> proxies() {
    return candidates.stream().filter(name -> !name.equals(DIRECT)).toList();
  }

  boolean hasNginx() {
    return candidates.contains(NGINX);
  }

  /** Median over rounds of the candidate's latency percentile less the direct call's, in microseconds. */
  double addedMicros(String candidate, double rate, ToDoubleFunction<LoadSummary> percentile) {
    return Samples.median(perRound(round -> round.fixed(candidate, rate).flatMap(measured -> round.fixed(DIRECT, rate)
        .map(direct -> percentile.applyAsDouble(measured) - percentile.applyAsDouble(direct)))));
  }

  /**
   * The candidate's added latency over nginx's; NaN without nginx, or when either added none (a
   * difference within the noise).
   */
  double addedOverNginx(String candidate, double rate, ToDoubleFunction<LoadSummary> percentile) {
    if (!hasNginx()) {
      return Double.NaN;
    }
    double nginx = addedMicros(NGINX, rate, percentile);
    double added = addedMicros(candidate, rate, percentile);
    return nginx > 0 && added > 0 ? added / nginx : Double.NaN;
  }

  /** Median over rounds of the candidate's latency percentile over the direct call's. */
  double latencyOverDirect(String candidate, double rate, ToDoubleFunction<LoadSummary> percentile) {
    return Samples.median(perRound(round -> round.fixed(candidate, rate).flatMap(measured -> round.fixed(DIRECT, rate)
        .map(direct -> percentile.applyAsDouble(measured) / percentile.applyAsDouble(direct)))));
  }

  /** Per-round ratios of the candidate's maximum throughput to {@code baseline}'s. */
  List<Double> throughputRatios(String candidate, String baseline) {
    return perRound(round -> round.saturation(candidate).flatMap(measured -> round.saturation(baseline)
        .map(base -> measured.requestsPerSecond() / base.requestsPerSecond())));
  }

  double throughputOver(String candidate, String baseline) {
    return Samples.median(throughputRatios(candidate, baseline));
  }

  long errors(String candidate) {
    long errors = 0;
    for (Round round : rounds) {
      errors += round.saturation(candidate).map(WrkSaturation.Result::errors).orElse(0L);
      for (double rate : rates) {
        errors += round.fixed(candidate, rate).map(LoadSummary::errors).orElse(0L);
      }
    }
    return errors;
  }

  private List<Double> perRound(Function<Round, Optional<Double>> value) {
    List<Double> values = rounds.stream().map(value).flatMap(Optional::stream).toList();
    if (values.isEmpty()) {
      throw new IllegalStateException("no round measured this");
    }
    return values;
  }

  BenchResult result(String command, String date) {
    String reference = hasNginx() ? NGINX : DIRECT;
    return new BenchResult("1-gateway-overhead", "Gateway overhead: Kiln's gateway, nginx and Ray Serve in front of "
        + "a zero-work model", summary(), command, date, Machine.current(),
        List.of(latencyTable(), throughputTable(reference)), charts(reference), findings(reference));
  }

  private String summary() {
    return String.format(Locale.ROOT, """
        A zero-work model (Kiln's `synthetic` task, `serviceTimeMillis: 0`, which echoes its JSON input) is
        called four ways with the same request: **direct** on the worker's runtime (`POST /models/noop/run`),
        through **Kiln's gateway** (fal's run endpoint, `POST /kiln/noop` with an API key), through **nginx** as
        a plain reverse proxy to the same runtime, and through **Ray Serve**'s HTTP proxy to an equivalent no-op
        deployment. Latency is measured open-loop at fixed rates (%s requests/s) by a load generator in a JVM
        of its own that counts each request from when it was due (no coordinated omission, HdrHistogram);
        the latency a proxy adds is its percentile less the direct call's in the same round. Maximum
        throughput is wrk's at saturation. The candidates take turns, their order rotating, over %d rounds
        after a warm-up; every figure is the median over rounds, as a ratio to nginx.

        %s""", rates.stream().map(GatewayOverheadReport::rate).reduce((a, b) -> a + ", " + b).orElse(""),
        rounds.size(), setup.strip());
  }

  private BenchResult.Table latencyTable() {
    List<List<String>> rows = new ArrayList<>();
    for (double rate : rates) {
      for (String candidate : proxies()) {
        rows.add(List.of(rate(rate) + "/s", candidate,
            Samples.ratio(latencyOverDirect(candidate, rate, LoadSummary::p50Micros)),
            Samples.ratio(latencyOverDirect(candidate, rate, LoadSummary::p99Micros)),
            micros(addedMicros(candidate, rate, LoadSummary::p50Micros)),
            micros(addedMicros(candidate, rate, LoadSummary::p99Micros)),
            ratioOrNa(addedOverNginx(candidate, rate, LoadSummary::p50Micros)),
            ratioOrNa(addedOverNginx(candidate, rate, LoadSummary::p99Micros))));
      }
    }
    return new BenchResult.Table("Latency added over the direct call, open loop at fixed rates",
        List.of("rate", "candidate", "p50 ÷ direct", "p99 ÷ direct", "added p50", "added p99", "added p50 ÷ nginx's",
            "added p99 ÷ nginx's"), rows,
        "Added = the candidate's percentile less the direct call's in the same round (median over rounds). "
            + "A negative figure is a difference within the noise; n/a where nginx or the candidate added nothing "
            + "measurable, or nginx was not run.");
  }

  private BenchResult.Table throughputTable(String reference) {
    List<List<String>> rows = new ArrayList<>();
    for (String candidate : candidates) {
      List<Double> ratios = throughputRatios(candidate, reference);
      rows.add(List.of(candidate, Samples.ratio(Samples.median(ratios)), Samples.range(ratios),
          Samples.ratio(throughputOver(candidate, DIRECT)), String.valueOf(errors(candidate))));
    }
    return new BenchResult.Table("Maximum throughput at saturation, relative to " + reference,
        List.of("candidate", "÷ " + reference, "range over rounds", "÷ direct", "errors (all runs)"), rows,
        "Errors count failed requests and answers other than 200, over every run of the candidate.");
  }

  private List<BenchResult.Chart> charts(String reference) {
    List<BenchResult.Chart> charts = new ArrayList<>();
    List<String> categories = new ArrayList<>();
    for (double rate : rates) {
      categories.add("p50 at " + rate(rate) + "/s");
      categories.add("p99 at " + rate(rate) + "/s");
    }
    if (hasNginx()) {
      List<BenchResult.Series> series = new ArrayList<>();
      for (String candidate : proxies().stream().filter(name -> !name.equals(NGINX)).toList()) {
        List<Double> values = new ArrayList<>();
        for (double rate : rates) {
          values.add(nullIfNaN(addedOverNginx(candidate, rate, LoadSummary::p50Micros)));
          values.add(nullIfNaN(addedOverNginx(candidate, rate, LoadSummary::p99Micros)));
        }
        series.add(new BenchResult.Series(candidate, values));
      }
      charts.add(new BenchResult.Chart("Latency added over the direct call, as a multiple of nginx's (line: nginx)",
          "× nginx's added latency", categories, series, 1.0));
    }
    charts.add(new BenchResult.Chart("Latency through each proxy, relative to the direct call (line: direct)",
        "× the direct call's latency", categories, proxies().stream().map(candidate -> {
          List<Double> values = new ArrayList<>();
          for (double rate : rates) {
            values.add(latencyOverDirect(candidate, rate, LoadSummary::p50Micros));
            values.add(latencyOverDirect(candidate, rate, LoadSummary::p99Micros));
          }
          return new BenchResult.Series(candidate, values);
        }).toList(), 1.0));
    charts.add(new BenchResult.Chart("Maximum throughput, relative to " + reference, "× " + reference,
        candidates, List.of(new BenchResult.Series("throughput", candidates.stream()
            .map(candidate -> throughputOver(candidate, reference)).toList())), 1.0));
    return charts;
  }

  private List<String> findings(String reference) {
    List<String> findings = new ArrayList<>();
    double rate = rates.get(rates.size() / 2);
    StringBuilder latency = new StringBuilder(String.format(Locale.ROOT,
        "At %s requests/s the gateway adds %s at p50 and %s at p99 over calling the runtime directly", rate(rate),
        micros(addedMicros(GATEWAY, rate, LoadSummary::p50Micros)),
        micros(addedMicros(GATEWAY, rate, LoadSummary::p99Micros))));
    if (hasNginx()) {
      double p50 = addedOverNginx(GATEWAY, rate, LoadSummary::p50Micros);
      double p99 = addedOverNginx(GATEWAY, rate, LoadSummary::p99Micros);
      latency.append(String.format(Locale.ROOT, "; nginx adds %s and %s",
          micros(addedMicros(NGINX, rate, LoadSummary::p50Micros)), micros(addedMicros(NGINX, rate,
              LoadSummary::p99Micros))));
      latency.append(Double.isNaN(p50) && Double.isNaN(p99)
          ? " (nothing measurable, so no ratio)"
          : String.format(Locale.ROOT, ", so the gateway adds %s (p50) and %s (p99) what nginx does", ratioOrNa(p50),
              ratioOrNa(p99)));
    }
    if (candidates.contains(RAY)) {
      latency.append(String.format(Locale.ROOT, "; Ray Serve's proxy adds %s and %s",
          micros(addedMicros(RAY, rate, LoadSummary::p50Micros)),
          micros(addedMicros(RAY, rate, LoadSummary::p99Micros))));
    }
    findings.add(latency + ".");
    StringBuilder throughput = new StringBuilder(String.format(Locale.ROOT,
        "At saturation the gateway serves %s %s's maximum throughput (%s the direct call's)",
        Samples.ratio(throughputOver(GATEWAY, reference)), reference, Samples.ratio(throughputOver(GATEWAY, DIRECT))));
    if (candidates.contains(RAY)) {
      throughput.append(String.format(Locale.ROOT, "; Ray Serve %s", Samples.ratio(throughputOver(RAY, reference))));
    }
    findings.add(throughput + ".");
    findings.add(oneLine("""
        Where the gateway loses to nginx, the likely cause is the work a gateway does and a plain proxy does not:
        for every request it checks the API key and its rate limits, records the request in its request store
        as it does a queued one, takes a replica slot from the dispatcher, meters the compute-seconds and
        writes an access-log line; and it sends the request on with the JDK's HTTP client,
        where nginx relays bytes in a C event loop. Ray Serve's proxy is Python and hands each request to its
        replica over Ray's RPC, a hop that neither nginx nor Kiln makes."""));
    findings.add(oneLine(String.format(Locale.ROOT, """
        Everything shares this machine's %d cores: the runtime, the candidate, the load generator and, for
        Kiln, the control plane and operator that `kiln dev` runs beside the gateway. At saturation the
        candidates therefore compete with the runtime and with wrk for the same cores, so a proxy that spends
        more CPU per request loses more than it would on a machine of its own.""",
        Runtime.getRuntime().availableProcessors())));
    findings.add(oneLine("""
        The latencies include the load generator's own: a request due while its threads sleep waits for
        them to wake, and on a busy machine that can take milliseconds. That time is the same for every
        candidate and drops out of the added latency, but its noise does not, and nginx adds little next to
        it, so a ratio to nginx's added latency can swing widely between rounds (or have no value when nginx
        added nothing measurable); the ratios to the direct call, in the table and the chart, are
        steadier."""));
    for (String candidate : candidates) {
      long errors = errors(candidate);
      if (errors > 0) {
        findings.add(candidate + " failed " + errors + " request(s) over the runs: see the throughput table.");
      }
    }
    findings.addAll(notes);
    return findings;
  }

  private static String oneLine(String text) {
    return text.strip().replace('\n', ' ');
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static String ratioOrNa(double value) {
    return Double.isNaN(value) ? "n/a" : Samples.ratio(value);
  }

  private static String micros(double value) {
    return String.format(Locale.ROOT, "%.0f µs", value);
  }

  static String rate(double rate) {
    return rate == Math.rint(rate) ? String.format(Locale.ROOT, "%.0f", rate) : String.format(Locale.ROOT, "%.1f", rate);
  }
}
