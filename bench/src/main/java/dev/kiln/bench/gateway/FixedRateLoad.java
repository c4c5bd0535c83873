package dev.kiln.bench.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@link OpenLoopLoad} in a JVM of its own, so that the load never shares a JVM with a candidate. */
final class FixedRateLoad {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> headers;
  private final double warmupSeconds;

  FixedRateLoad(Map<String, String> headers, double warmupSeconds) {
    this.headers = headers;
    this.warmupSeconds = warmupSeconds;
  }

  LoadSummary run(Candidate candidate, double rate, double seconds) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), OpenLoopLoad.class.getName(),
        "--url", candidate.url().toString(), "--rate", String.format(Locale.ROOT, "%.3f", rate),
        "--seconds", String.format(Locale.ROOT, "%.3f", seconds),
        "--warmup-seconds", String.format(Locale.ROOT, "%.3f", warmupSeconds), "--body", Candidate.BODY));
    headers.forEach((name, value) -> command.addAll(List.of("--header", name + "=" + value)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("the load generator against " + candidate.name() + " at " + rate + "/s failed: " + output);
    }
    String last = output.strip().lines().reduce((first, second) -> second).orElse("");
    return JSON.readValue(last, LoadSummary.class);
  }
}
