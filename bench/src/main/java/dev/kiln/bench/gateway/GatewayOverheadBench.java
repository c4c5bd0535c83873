package dev.kiln.bench.gateway;

import dev.kiln.bench.ChildProcesses;
import dev.kiln.bench.report.ResultOptions;
import dev.kiln.cli.DevPaths;
import dev.kiln.cli.Progress;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Gateway overhead: a zero-work model called directly on its runtime, through Kiln's gateway, through
 * nginx as a plain reverse proxy and through Ray Serve's HTTP proxy; the latency each proxy adds at
 * fixed rates and its maximum throughput, as ratios to nginx. See {@link GatewayOverheadReport}.
 *
 * <p>Usage: {@code bench/gateway-overhead.sh [--rounds N] [--seconds S] [--smoke] [--results DIR]}, which
 * installs nginx and Ray Serve when they are missing. Without nginx or Ray Serve the benchmark measures
 * the others and says what it left out.
 */
@Command(name = "gateway-overhead", mixinStandardHelpOptions = true,
    description = "Kiln's gateway against nginx and Ray Serve in front of a zero-work model: added latency and "
        + "maximum throughput, as ratios to nginx.")
public final class GatewayOverheadBench implements Callable<Integer> {

  /** The fixed rates, as fractions of the slowest candidate's throughput in the warm-up. */
  static final List<Double> RATE_FRACTIONS = List.of(0.2, 0.35, 0.5);
  /** The model's targetConcurrency and Ray's max_ongoing_requests: above wrk's connections, so neither queues. */
  static final int CONCURRENCY_LIMIT = 256;
  private static final Duration READY = Duration.ofMinutes(5);
  private static final Duration ANSWER = Duration.ofSeconds(60);

  @Option(names = "--rounds", defaultValue = "5", description = "Rounds after the warm-up (default: ${DEFAULT-VALUE}).")
  private int rounds;

  @Option(names = "--seconds", defaultValue = "10",
      description = "Seconds of each measured run (default: ${DEFAULT-VALUE}).")
  private double seconds;

  @Option(names = "--connections", defaultValue = "32",
      description = "wrk's connections at saturation (default: ${DEFAULT-VALUE}).")
  private int connections;

  @Option(names = "--rates", split = ",",
      description = "Fixed rates, requests a second (default: 20%%, 35%% and 50%% of the slowest candidate's "
          + "throughput in the warm-up).")
  private List<Double> rates;

  @Option(names = "--smoke", description = "One round of 1-second runs, to check that it runs.")
  private boolean smoke;

  @Option(names = "--work", defaultValue = "bench/target/gateway-overhead",
      description = "Where each run makes a directory for Kiln's, nginx's and Ray's files and logs "
          + "(default: ${DEFAULT-VALUE}).")
  private Path work;

  @Option(names = "--ray-python",
      description = "A Python with ray[serve]; bench/gateway-overhead.sh passes the venv it makes. "
          + "Without it, Ray Serve is left out and the report says so.")
  private Path rayPython;

  @Mixin
  private ResultOptions results;

  /**
   * How one run measures.
   *
   * @param rates the fixed rates, or empty to derive them from the warm-up
   */
  record Plan(int rounds, double seconds, double warmupSeconds, int connections, Optional<List<Double>> rates) {

    static Plan smoke() {
      return new Plan(1, 1, 0.5, 8, Optional.empty());
    }
  }

  /** Where the baselines come from; either may be missing. */
  record Baselines(Optional<Path> nginx, Optional<Path> rayPython) {

    static Baselines find(Optional<Path> rayPython) {
      return new Baselines(NginxProxy.find(), rayPython.filter(Files::isExecutable));
    }
  }

  public static void main(String[] args) {
    ChildProcesses.stopAllOnJvmExit();
    System.exit(new CommandLine(new GatewayOverheadBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path root = Files.createTempDirectory(Files.createDirectories(work.toAbsolutePath()), "run-");
    // Before any logger exists: the components log to a file, as under kiln dev; the console is for progress.
    System.setProperty("kiln.dev.log", root.resolve("kiln.log").toString());
    System.setProperty("logback.configurationFile", "kiln-cli-logback.xml");
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Plan plan = smoke ? Plan.smoke() : new Plan(rounds, seconds, 2, connections, Optional.ofNullable(rates));
    GatewayOverheadReport report = run(plan, root, Baselines.find(Optional.ofNullable(rayPython)),
        new Progress(System.out));
    results.write(report.result(results.command("bench/gateway-overhead.sh" + (smoke ? " --smoke"
        : " --rounds " + rounds + " --seconds " + seconds)), results.started()));
    return 0;
  }

  /** Starts Kiln and the baselines there are, measures them all, and stops everything it started. */
  static GatewayOverheadReport run(Plan plan, Path work, Baselines baselines, Progress progress) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> notes = new ArrayList<>();
    Map<String, String> headers;
    List<Candidate> candidates = new ArrayList<>();
    NginxProxy nginx = null;
    RayServeProxy ray = null;
    try (SyntheticModelFleet fleet = SyntheticModelFleet.start(new DevPaths(work.resolve("kiln")), CONCURRENCY_LIMIT,
        READY, progress)) {
      headers = Candidate.headers(fleet.apiKey());
      candidates.add(new Candidate(GatewayOverheadReport.DIRECT,
          URI.create("http://" + fleet.runtimeAddress() + fleet.runtimePath())));
      candidates.add(new Candidate(GatewayOverheadReport.GATEWAY, fleet.gatewayUrl()));
      try {
        if (baselines.nginx().isPresent()) {
          Path nginxWork = Files.createDirectories(work.resolve("nginx"));
          nginx = progress.step("nginx, " + cores + " worker process(es), in front of the runtime",
              () -> NginxProxy.start(baselines.nginx().get(), fleet.runtimeAddress(), cores, nginxWork));
          candidates.add(new Candidate(GatewayOverheadReport.NGINX, nginx.url(fleet.runtimePath())));
        } else {
          notes.add("nginx was not measured: there is no nginx on the PATH or in /usr/sbin (bench/gateway-overhead.sh "
              + "installs Debian's package when run as root), so the ratios are to the direct call instead.");
        }
        if (baselines.rayPython().isPresent()) {
          Path rayWork = Files.createDirectories(work.resolve("ray"));
          ray = progress.step("Ray Serve: its HTTP proxy and a no-op deployment",
              () -> RayServeProxy.start(baselines.rayPython().get(), cores, CONCURRENCY_LIMIT, rayWork));
          candidates.add(new Candidate(GatewayOverheadReport.RAY, ray.url(fleet.runtimePath())));
        } else {
          notes.add("Ray Serve was not measured: there is no Python with ray[serve] (bench/gateway-overhead.sh "
              + "installs it into a venv under ${KILN_CACHE_DIR:-~/.cache/kiln}).");
        }
        AnswerCheck check = new AnswerCheck(headers);
        for (Candidate candidate : candidates) {
          progress.step("checking that " + candidate.name() + " answers as the zero-work model",
              () -> check.verify(candidate, ANSWER));
        }
        return measure(plan, candidates, headers, work, progress,
            setup(plan, cores, baselines.nginx()), notes);
      } finally {
        if (ray != null) {
          RayServeProxy started = ray;
          progress.step("stopping Ray Serve", started::close);
        }
        if (nginx != null) {
          NginxProxy started = nginx;
          progress.step("stopping nginx", started::close);
        }
      }
    }
  }

  private static GatewayOverheadReport measure(Plan plan, List<Candidate> candidates, Map<String, String> headers,
      Path work, Progress progress, String setup, List<String> notes) throws Exception {
    WrkSaturation wrk = new WrkSaturation(findWrk(), work, headers, plan.connections());
    FixedRateLoad load = new FixedRateLoad(headers, plan.warmupSeconds());
    double slowest = Double.MAX_VALUE;
    String slowestName = "";
    for (Candidate candidate : candidates) {
      WrkSaturation.Result warmup = wrk.run(candidate, plan.seconds());
      progress.detail(String.format(Locale.ROOT, "warm-up: %s at saturation, %.0f requests/s", candidate.name(),
          warmup.requestsPerSecond()));
      if (warmup.requestsPerSecond() < slowest) {
        slowest = warmup.requestsPerSecond();
        slowestName = candidate.name();
      }
    }
    List<Double> rates = plan.rates().orElse(ratesBelow(slowest));
    String rateOrigin = plan.rates().isPresent() ? "as given"
        : String.format(Locale.ROOT, "20%%, 35%% and 50%% of the slowest candidate's throughput in the warm-up (%s), so that "
            + "even the lowest gives a few hundred latencies a run",
            slowestName);
    List<Round> measured = new ArrayList<>();
    for (int index = 0; index < plan.rounds(); index++) {
      List<Candidate> turn = new ArrayList<>(candidates);
      Collections.rotate(turn, -index);
      Round round = new Round();
      for (double rate : rates) {
        for (Candidate candidate : turn) {
          LoadSummary summary = load.run(candidate, rate, plan.seconds());
          round.fixed(candidate.name(), rate, summary);
          progress.detail(String.format(Locale.ROOT, "round %d, %s/s, %s: p50 %.0f µs, p99 %.0f µs, %d error(s)",
              index + 1, GatewayOverheadReport.rate(rate), candidate.name(), summary.p50Micros(),
              summary.p99Micros(), summary.errors()));
        }
      }
      for (Candidate candidate : turn) {
        WrkSaturation.Result result = wrk.run(candidate, plan.seconds());
        round.saturation(candidate.name(), result);
        progress.detail(String.format(Locale.ROOT, "round %d, saturation, %s: %.0f requests/s, %d error(s)",
            index + 1, candidate.name(), result.requestsPerSecond(), result.errors()));
      }
      measured.add(round);
    }
    return new GatewayOverheadReport(candidates.stream().map(Candidate::name).toList(), rates, measured,
        setup + " Fixed rates: " + rateOrigin + ".", notes);
  }

  /** {@link #RATE_FRACTIONS} of {@code slowest} requests a second, to two significant figures. */
  static List<Double> ratesBelow(double slowest) {
    return RATE_FRACTIONS.stream()
        .map(fraction -> Math.max(1, new BigDecimal(slowest * fraction).round(new MathContext(2)).doubleValue()))
        .distinct().toList();
  }

  private static String setup(Plan plan, int cores, Optional<Path> nginx) {
    return String.format(Locale.ROOT, """
        Kiln runs as `kiln dev` runs it (the gateway in one JVM with the operator; the runtime in a worker
        pod's JVM), but with the gateway on plain http, as nginx and Ray Serve are here, so that no candidate
        pays for TLS. The model's `targetConcurrency` is %d, so the gateway never queues a request.
        nginx%s is a reverse proxy with `worker_processes %d` (this machine's cores: the gateway's JVM may use
        every core too), keep-alive connections to the runtime and no access log. Ray Serve (version pinned in
        `bench/gateway-overhead-requirements.txt`) runs one replica (`num_cpus: 0`, `max_ongoing_requests: %d`)
        in a Ray instance given %d CPUs, without its dashboard. wrk runs 1 thread and %d connections; every run lasts
        %s s, the open-loop generator's after %s s of unmeasured warm-up at the same rate. The runtime runs as the
        node agent here starts every worker: in a JVM of its own with C1 only and the Serial GC, small and
        quick to start rather than fast, which bounds the direct call and every proxy in front of it alike.
        The gateway writes its access log (a line a request) to a file, as under `kiln dev`.""",
        CONCURRENCY_LIMIT, nginx.map(GatewayOverheadBench::nginxVersion).map(version -> " " + version).orElse(""),
        cores, CONCURRENCY_LIMIT, cores, plan.connections(), GatewayOverheadReport.rate(plan.seconds()),
        GatewayOverheadReport.rate(plan.warmupSeconds()));
  }

  private static String nginxVersion(Path nginx) {
    try {
      Process process = new ProcessBuilder(nginx.toString(), "-v").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      process.waitFor();
      return output.replaceFirst("^nginx version: nginx/", "");
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static Path findWrk() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .filter(directory -> !directory.isBlank())
        .map(directory -> Path.of(directory, "wrk"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("wrk is not on the PATH: apt-get install wrk"));
  }
}
