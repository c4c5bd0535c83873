package dev.kiln.local.controlplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code helm} (built by hack/monitoring-tools.sh), run with no user's configuration, cache or plugins. */
public final class HelmCommand {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  /** What one helm command printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {

    public String describe() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  private final Path binary;
  private final Path home;

  /** A helm keeping its configuration, cache and data under {@code home}. */
  public HelmCommand(Path home) {
    this.binary = MonitoringTools.locate().helm();
    this.home = home;
  }

  public Result run(String... arguments) throws IOException, InterruptedException {
    return run(DEFAULT_TIMEOUT, arguments);
  }

  public Result run(Duration timeout, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(arguments));
    Path out = Files.createTempFile(home, "helm", ".out");
    Path err = Files.createTempFile(home, "helm", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("helm " + String.join(" ", arguments) + " did not finish in " + timeout);
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
