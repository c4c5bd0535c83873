package dev.kiln.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kiln dev}: the whole fleet on this machine, with a real model resident, until Ctrl-C;
 * with {@code --check}, real requests through it and then a clean stop.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
    description = {"Runs Kiln on this machine without Docker: a local control plane, fake GPU nodes whose workers run "
        + "the real runtime, the operator and the gateway, serving a real background-removal model.",
        "Caches (Kubernetes binaries, the model, the API key) live under ${KILN_CACHE_DIR:-~/.cache/kiln}."})
final class DevCommand implements Callable<Integer> {

  @Option(names = "--check", description = "Send real requests through the gateway, print the results and usage, "
      + "stop and exit 0 when all is well.")
  private boolean check;

  @Option(names = "--nodes", defaultValue = "1", description = "Fake GPU nodes (default: ${DEFAULT-VALUE}).")
  private int nodes;

  @Option(names = "--gpus", defaultValue = "1", description = "GPUs per fake node (default: ${DEFAULT-VALUE}).")
  private int gpus;

  @Option(names = "--run-port", defaultValue = "8080",
      description = "The gateway's run listener on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 for any free port).")
  private int runPort;

  @Option(names = "--queue-port", defaultValue = "8081",
      description = "The gateway's queue listener on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 for any free port).")
  private int queuePort;

  @Option(names = "--ready-timeout", defaultValue = "PT10M",
      description = "How long to wait for the model to be resident, ISO-8601 (default: ${DEFAULT-VALUE}).")
  private Duration readyTimeout;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || gpus < 0) {
      throw new IllegalArgumentException("--nodes must be 1 or more and --gpus 0 or more");
    }
    DevPaths paths = DevPaths.fromEnvironment(System.getenv());
    try (DevLock lock = DevLock.take(paths.root().resolve("dev.lock"))) {
      deleteRecursively(paths.run());
      Files.createDirectories(paths.run());
      return runFleet(paths);
    }
  }

  private int runFleet(DevPaths paths) throws Exception {
    Progress progress = new Progress(System.out);
    progress.line("kiln dev: starting Kiln on this machine (components log to " + paths.log() + ")");
    CtrlC ctrlC = new CtrlC(Thread.currentThread());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> {
      ctrlC.pressed();
      awaitQuietly(stopped);
    }, "kiln-dev-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    DevFleet fleet = null;
    try {
      fleet = DevFleet.start(new DevFleet.Settings(nodes, gpus, runPort, queuePort), paths, progress);
      DevFleet started = fleet;
      String key = progress.step("model " + DevFleet.NAMESPACE + "/" + DevModel.MODEL + ", its CPU pool and an API key",
          () -> DevModel.apply(started.admin(), paths));
      progress.step("waiting until " + DevModel.MODEL + " is resident and warm",
          () -> DevModel.awaitReady(started.admin(), readyTimeout, progress));
      Path sample = SamplePicture.writeTo(paths.samplePicture());
      progress.line(new DevBanner(fleet, key, sample, paths, progress.elapsed()).text());
      if (check) {
        new DevCheck(fleet, key, progress).run();
        progress.line("kiln dev --check: all requests answered as they should; stopping.");
        return 0;
      }
      progress.line("Kiln is running. Ctrl-C stops everything.");
      ctrlC.await();
      return 0;
    } catch (Exception e) {
      if (ctrlC.wasPressed()) {
        return 130;
      }
      throw e;
    } finally {
      if (ctrlC.wasPressed()) {
        progress.line("kiln dev: stopping");
      }
      ctrlC.stopping();
      if (fleet != null) {
        fleet.close();
      }
      cleanRun(paths.run());
      stopped.countDown();
      if (!ctrlC.wasPressed()) {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Leaves what a user may want to read after a run (the log, the manifest, the workers' logs); the
   * control plane's state and the spilled results go. The next start empties the directory.
   */
  private static void cleanRun(Path run) throws IOException {
    deleteRecursively(run.resolve("control-plane"));
    deleteRecursively(run.resolve("gateway-spill"));
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(each);
      }
    }
  }
}
