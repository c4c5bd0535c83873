package dev.kiln.runtime;

import dev.kiln.runtime.server.GracefulShutdown;
import dev.kiln.runtime.server.RuntimeServer;
import dev.kiln.runtime.server.ServingState;
import dev.kiln.runtime.store.ModelStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker runtime's entry point: reads its configuration, serves, and drains on SIGTERM. */
public final class RuntimeMain {

  private RuntimeMain() {}

  public static void main(String[] args) {
    // One line per event, before anything creates a logger.
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
    Logger log = LoggerFactory.getLogger(RuntimeMain.class);
    RuntimeConfig config;
    ModelStore store;
    try {
      config = RuntimeConfig.fromEnvironment(System.getenv());
      Files.createDirectories(config.cacheDirectory());
      // Opened at start, so a cache directory the runtime cannot use stops it here with a clear message.
      store = ModelStore.open(config.cacheDirectory(), config.cacheMaxBytes());
    } catch (RuntimeConfig.InvalidConfigException | IOException e) {
      System.err.println("kiln-runtime cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }

    var state = new ServingState();
    var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    Gauge.builder("kiln_runtime_in_flight_requests", state, ServingState::inFlight)
        .description("Requests being served").register(metrics);
    Gauge.builder("kiln_runtime_ready", state, s -> s.isReady() ? 1 : 0)
        .description("1 while the runtime takes work").register(metrics);

    RuntimeServer server = RuntimeServer.start(config.bindAddress(), config.port(), state, metrics, routing -> { });
    GracefulShutdown.install(state, config.shutdownGrace(), server::close);
    state.markReady();
    log.info("kiln runtime ready on {}:{} (model cache {}, limit {} bytes, {} bytes cached)", config.bindAddress(),
        server.port(), config.cacheDirectory(), config.cacheMaxBytes(), cachedBytes(store));
  }

  private static long cachedBytes(ModelStore store) {
    try {
      return store.sizeBytes();
    } catch (IOException e) {
      return -1;
    }
  }
}
