package dev.kiln.runtime.server;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM (and SIGINT): turn unready at once, let in-flight work finish within the grace period,
 * run the cleanup (stop serving, unload), and exit 0. A JVM left to its default handling would
 * exit 143 without draining.
 */
public final class GracefulShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private GracefulShutdown() {}

  public static void install(ServingState state, Duration grace, Runnable cleanup) {
    // Not a daemon (the signal thread is one, and would pass that on): the JVM must wait for the drain.
    SignalHandler handler = signal -> Thread.ofPlatform().daemon(false).name("kiln-shutdown").start(() -> {
      LOG.info("SIG{} received: draining, {} request(s) in flight, grace period {}", signal.getName(),
          state.inFlight(), grace);
      state.startDraining();
      int exitCode = 0;
      try {
        if (!state.awaitIdle(grace)) {
          LOG.warn("grace period over with {} request(s) still in flight; stopping anyway", state.inFlight());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        cleanup.run();
      } catch (RuntimeException e) {
        LOG.error("cleanup failed during shutdown", e);
        exitCode = 1;
      }
      LOG.info("stopped");
      System.exit(exitCode);
    });
    Signal.handle(new Signal("TERM"), handler);
    Signal.handle(new Signal("INT"), handler);
  }
}
