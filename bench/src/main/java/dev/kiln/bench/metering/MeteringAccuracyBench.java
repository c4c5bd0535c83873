package dev.kiln.bench.metering;

import static org.awaitility.Awaitility.await;

import dev.kiln.bench.cluster.BenchFleet;
import dev.kiln.bench.cluster.GatewayClient;
import dev.kiln.bench.ChildProcesses;
import dev.kiln.bench.report.BenchResult;
import dev.kiln.bench.report.ResultOptions;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.operator.usage.UsageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Metering accuracy: GPU-seconds and per-key compute seconds as Kiln meters them over a mixed load,
 * against what the load and a pod watch of its own know. Kiln runs on this machine as
 * {@code kiln dev} runs it.
 *
 * <p>Usage: {@code bench/metering-accuracy.sh [--minutes N] [--smoke]}; {@code --smoke} loads for 20 s.
 */
@Command(name = "metering-accuracy", mixinStandardHelpOptions = true,
    description = "Metered compute and GPU-seconds against ground truth over a mixed load, as relative errors.")
public final class MeteringAccuracyBench implements Callable<Integer> {

  static final Duration SMOKE_LOAD = Duration.ofSeconds(20);
  private static final int CLIENTS = 6;
  private static final List<String> KEYS = List.of("meter-a", "meter-b", "meter-c");
  private static final MeteredPool SMALL = new MeteredPool("meter-small", 1, 2);
  private static final MeteredPool LARGE = new MeteredPool("meter-large", 2, 1);
  private static final List<MeteredModel> MODELS = List.of(
      new MeteredModel("meter-fast", SMALL, Duration.ofMillis(50)),
      new MeteredModel("meter-medium", SMALL, Duration.ofMillis(300)),
      new MeteredModel("meter-slow", LARGE, Duration.ofMillis(1500)));
  private static final Duration READY = Duration.ofMinutes(3);
  private static final long SEED = 42;

  @Option(names = "--minutes", defaultValue = "10", description = "How long the load runs (default: ${DEFAULT-VALUE}).")
  private int minutes;

  @Option(names = "--smoke", description = "A 20 s load, to check that it runs.")
  private boolean smoke;

  @Option(names = "--work", defaultValue = "bench/target/metering-accuracy",
      description = "Where Kiln keeps its control plane, workers and logs (default: ${DEFAULT-VALUE}).")
  private Path work;

  @Mixin
  private ResultOptions results;

  public static void main(String[] args) {
    ChildProcesses.stopAllOnJvmExit();
    System.exit(new CommandLine(new MeteringAccuracyBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    MeteringReport report = run(work, smoke ? SMOKE_LOAD : Duration.ofMinutes(minutes));
    BenchResult result = report.result(results.command("bench/metering-accuracy.sh"
        + (smoke ? " --smoke" : " --minutes " + minutes)), results.started());
    results.write(result);
    return 0;
  }

  /** Starts Kiln under {@code work}, runs the mixed load for {@code load}, compares, and stops Kiln. */
  static MeteringReport run(Path work, Duration load) throws Exception {
    try (BenchFleet fleet = BenchFleet.start(work, 1, 8, List.of());
        PodAllocations allocations = PodAllocations.watch(fleet.admin(), BenchFleet.NAMESPACE)) {
      for (MeteredPool pool : List.of(SMALL, LARGE)) {
        fleet.apply(pool.manifest());
      }
      MODELS.forEach(model -> fleet.apply(model.manifest()));
      Map<String, GatewayClient> clients = new LinkedHashMap<>();
      KEYS.forEach(key -> clients.put(key, new GatewayClient(fleet, fleet.apiKey(key))));
      MixedLoad mixed = new MixedLoad(clients, MODELS);
      for (MeteredModel model : MODELS) {
        // Counted like the load's own requests: the meters count them too.
        await(model.name() + " answering").atMost(READY).pollInterval(Duration.ofMillis(200))
            .until(() -> mixed.send(KEYS.getFirst(), model, false));
      }
      System.out.printf("mixed load for %d s from %d clients%n", load.toSeconds(), CLIENTS);
      mixed.run(CLIENTS, load, SEED);

      MeteredUsage metered = new MeteredUsage(fleet);
      awaitSteady("the operator's busy seconds", () -> MODELS.stream()
          .mapToDouble(model -> metered.busySeconds(model.name())).sum());
      List<MeteringReport.KeyUsage> keys = KEYS.stream().map(key -> {
        long requests = MODELS.stream().mapToLong(model -> mixed.answered(key, model.name())).sum();
        double truth = MODELS.stream().mapToDouble(model -> mixed.answered(key, model.name()) * seconds(model)).sum();
        return new MeteringReport.KeyUsage(key, requests, truth, metered.computeSecondsOfKey(key));
      }).toList();
      List<MeteringReport.ModelUsage> models = MODELS.stream().map(model -> {
        long requests = KEYS.stream().mapToLong(key -> mixed.answered(key, model.name())).sum();
        return new MeteringReport.ModelUsage(model.name(), model.serviceTime(), requests, requests * seconds(model),
            metered.computeSecondsOfModel(model.name()), metered.busySeconds(model.name()));
      }).toList();

      for (MeteredModel model : MODELS) {
        fleet.admin().resources(Model.class).inNamespace(BenchFleet.NAMESPACE).withName(model.name()).delete();
      }
      for (MeteredPool pool : List.of(SMALL, LARGE)) {
        fleet.admin().resources(GpuPool.class).inNamespace(BenchFleet.NAMESPACE).withName(pool.name()).delete();
      }
      await("every worker pod gone").atMost(READY).pollInterval(Duration.ofMillis(200))
          .until(() -> allocations.running() == 0 && fleet.admin().pods().inNamespace(BenchFleet.NAMESPACE).list()
              .getItems().isEmpty());
      awaitSteady("the operator's allocated GPU-seconds", () -> List.of(SMALL, LARGE).stream()
          .mapToDouble(pool -> metered.allocatedGpuSeconds(pool.name())).sum());
      Instant now = Instant.now();
      List<MeteringReport.PoolUsage> pools = List.of(SMALL, LARGE).stream().map(pool -> new MeteringReport.PoolUsage(
          pool.name(), pool.gpusPerWorker(), allocations.pods(pool.name()),
          allocations.gpuSeconds(pool.name(), name -> pool.gpusPerWorker(), now),
          metered.allocatedGpuSeconds(pool.name()))).toList();
      return new MeteringReport(load, CLIENTS, keys, models, pools, mixed.unanswered(),
          UsageSettings.DEFAULT_INTERVAL);
    }
  }

  /**
   * Waits until {@code value} has not changed for two of the operator's usage collections, so the
   * last one after the change has been taken in.
   */
  private static void awaitSteady(String what, DoubleSupplier value) {
    Duration steadyFor = UsageSettings.DEFAULT_INTERVAL.multipliedBy(2);
    double[] last = {value.getAsDouble()};
    long[] changed = {System.nanoTime()};
    await(what + " steady for " + steadyFor.toSeconds() + " s").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500)).until(() -> {
          double now = value.getAsDouble();
          if (now != last[0]) {
            last[0] = now;
            changed[0] = System.nanoTime();
          }
          return System.nanoTime() - changed[0] >= steadyFor.toNanos();
        });
  }

  private static double seconds(MeteredModel model) {
    return model.serviceTime().toNanos() / 1e9;
  }
}
