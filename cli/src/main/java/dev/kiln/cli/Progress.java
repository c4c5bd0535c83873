package dev.kiln.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** One line per step of a long piece of work, with how long it took. */
public final class Progress {

  private final PrintStream out;
  private final long started = System.nanoTime();

  public Progress(PrintStream out) {
    this.out = out;
  }

  /** Runs {@code action}, saying what it does and then whether it was done, and in how long. */
  public <T> T step(String what, Callable<T> action) throws Exception {
    out.printf("  %s ...%n", what);
    long stepStarted = System.nanoTime();
    try {
      T result = action.call();
      out.printf("  %s: done in %s%n", what, seconds(System.nanoTime() - stepStarted));
      return result;
    } catch (Exception | Error e) {
      out.printf("  %s: FAILED: %s%n", what, e.getMessage());
      throw e;
    }
  }

  public void step(String what, ThrowingRunnable action) throws Exception {
    step(what, () -> {
      action.run();
      return null;
    });
  }

  /** A line under the current step. */
  public void detail(String line) {
    out.println("      " + line);
  }

  public void line(String line) {
    out.println(line);
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }
}
