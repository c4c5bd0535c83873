package dev.kiln.operator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM (and SIGINT): stop the operator, which hands its lease to a standby, and exit 0. A JVM
 * left to its default handling would exit 143.
 */
final class GracefulShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private GracefulShutdown() {}

  static void install(Runnable stop) {
    // Not a daemon (the signal thread is one, and would pass that on): the JVM must wait for the stop.
    SignalHandler handler = signal -> Thread.ofPlatform().daemon(false).name("kiln-shutdown").start(() -> {
      LOG.info("operator.stopping signal=SIG{}", signal.getName());
      int exitCode = 0;
      try {
        stop.run();
      } catch (RuntimeException e) {
        LOG.error("operator.stop_failed", e);
        exitCode = 1;
      }
      LOG.info("operator.exit code={}", exitCode);
      System.exit(exitCode);
    });
    Signal.handle(new Signal("TERM"), handler);
    Signal.handle(new Signal("INT"), handler);
  }
}
