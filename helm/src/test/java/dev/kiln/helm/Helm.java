package dev.kiln.helm;

import dev.kiln.local.controlplane.HelmCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real {@code helm} run on the chart in {@code helm/kiln}. */
final class Helm {

  static final Path CHART = Path.of("kiln").toAbsolutePath();
  static final Path ALL_OPTIONS = Path.of("src", "test", "resources", "all-options.yaml").toAbsolutePath();

  private final HelmCommand command;

  Helm(Path home) {
    this.command = new HelmCommand(home);
  }

  HelmCommand.Result run(String... arguments) throws IOException, InterruptedException {
    return command.run(arguments);
  }

  /** {@code helm template} of the chart as release {@code kiln} in {@code namespace}; throws unless it succeeds. */
  String template(String namespace, String... more) throws IOException, InterruptedException {
    List<String> arguments = new ArrayList<>(List.of("template", "kiln", CHART.toString(), "--namespace", namespace));
    arguments.addAll(List.of(more));
    HelmCommand.Result result = run(arguments.toArray(String[]::new));
    if (result.exitCode() != 0) {
      throw new IllegalStateException("helm template failed: " + result.describe());
    }
    return result.stdout();
  }
}
