package dev.kiln.gateway.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the external programs the compatibility tests need, with a deadline, keeping what they print. */
final class Processes {

  /** What a finished program printed, and how it exited. */
  record Outcome(List<String> command, int exitCode, String stdout, String stderr) {

    /** A description for a failed assertion: the command, its exit code and everything it printed. */
    String describe() {
      return String.join(" ", command) + " exited " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private Processes() {}

  /**
   * Runs {@code command} to its end, killing it after {@code timeout}.
   *
   * @param environment added to this JVM's environment
   * @param logs where its stdout and stderr are written
   * @throws IllegalStateException when the program cannot be started or runs past {@code timeout}
   */
  static Outcome run(List<String> command, Map<String, String> environment, Path logs, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(logs);
    Path stdout = Files.createTempFile(logs, "stdout", ".log");
    Path stderr = Files.createTempFile(logs, "stderr", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command.getFirst() + ": is it installed and on the PATH? ("
          + e.getMessage() + ")", e);
    }
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException(String.join(" ", command) + " ran longer than " + timeout + " and was killed\n"
          + "--- stdout\n" + Files.readString(stdout, StandardCharsets.UTF_8)
          + "\n--- stderr\n" + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    return new Outcome(command, process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }
}
