package dev.kiln.bench;

import dev.kiln.bench.report.BenchResult;
import dev.kiln.bench.report.ResultFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the benchmarks' scripts in {@code bench/} as a user would, on the modules this build
 * has already packaged ({@code KILN_BENCH_BUILT=1}), and reads the result it wrote.
 */
public final class BenchScript {

  private BenchScript() {}

  public static BenchResult run(String script, Path results, Duration timeout, String... arguments)
      throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> command = new ArrayList<>(List.of("bash", "bench/" + script));
    command.addAll(List.of(arguments));
    command.addAll(List.of("--results", results.toString()));
    Path log = results.resolve(script + ".log");
    Files.createDirectories(results);
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("KILN_BENCH_BUILT", "1");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(script + " did not finish within " + timeout + ":\n" + tail(log));
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(script + " exited with " + process.exitValue() + ":\n" + tail(log));
    }
    try (var files = Files.list(results)) {
      Optional<Path> result = files.filter(file -> file.toString().endsWith(".json")).findFirst();
      if (result.isEmpty()) {
        throw new AssertionError(script + " wrote no result:\n" + tail(log));
      }
      return ResultFiles.read(result.get());
    }
  }

  private static String tail(Path log) throws IOException {
    String text = Files.readString(log);
    return text.substring(Math.max(0, text.length() - 6000));
  }
}
