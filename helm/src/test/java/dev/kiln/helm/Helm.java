package dev.kiln.helm;

import dev.kiln.local.controlplane.MonitoringTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code helm} (built by hack/monitoring-tools.sh) run on the chart in {@code helm/kiln}. */
final class Helm {

  static final Path CHART = Path.of("kiln").toAbsolutePath();
  static final Path ALL_OPTIONS = Path.of("src", "test", "resources", "all-options.yaml").toAbsolutePath();

  /** What one helm command printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {

    String describe() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  private final Path binary;
  private final Path home;

  Helm(Path home) {
    this.binary = MonitoringTools.locate().helm();
    this.home = home;
  }

  Result run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(arguments));
    Path out = Files.createTempFile(home, "helm", ".out");
    Path err = Files.createTempFile(home, "helm", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // No user's helm configuration, cache or plugins: only what the test gives it.
    builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("helm " + String.join(" ", arguments) + " did not finish in 2 minutes");
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** {@code helm template} of the chart as release {@code kiln} in {@code namespace}; throws unless it succeeds. */
  String template(String namespace, String... more) throws IOException, InterruptedException {
    List<String> arguments = new ArrayList<>(List.of("template", "kiln", CHART.toString(), "--namespace", namespace));
    arguments.addAll(List.of(more));
    Result result = run(arguments.toArray(String[]::new));
    if (result.exitCode() != 0) {
      throw new IllegalStateException("helm template failed: " + result.describe());
    }
    return result.stdout();
  }
}
