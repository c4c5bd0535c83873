package dev.kiln.runtime;

import dev.kiln.runtime.gpu.GpuTelemetry;
import dev.kiln.runtime.server.GracefulShutdown;
import java.io.IOException;

/** The worker runtime's entry point: reads its configuration, serves, and drains on SIGTERM. */
public final class RuntimeMain {

  private RuntimeMain() {}

  public static void main(String[] args) {
    // One line per event, before anything creates a logger.
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
    WorkerRuntime runtime;
    RuntimeConfig config;
    try {
      config = RuntimeConfig.fromEnvironment(System.getenv());
      runtime = WorkerRuntime.start(config, GpuTelemetry.detect());
    } catch (RuntimeConfig.InvalidConfigException | IOException e) {
      System.err.println("kiln-runtime cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    GracefulShutdown.install(runtime.state(), config.shutdownGrace(), runtime::close);
  }
}
