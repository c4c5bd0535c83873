package dev.kiln.gateway.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * fal's official clients at pinned versions, installed from their registries into
 * {@code ${KILN_CACHE_DIR:-~/.cache/kiln}/fal-clients} on first use and reused after: the Python
 * client in a venv (needs {@code python3}), the JS client under an npm prefix (needs {@code npm}
 * and {@code node}). OpenAI's Python client, for the gateway's OpenAI endpoint, the same way in
 * {@code ${KILN_CACHE_DIR:-~/.cache/kiln}/openai-client}.
 */
final class FalClients {

  static final String PYTHON_CLIENT = "fal-client==1.0.3";
  static final String JS_CLIENT = "@fal-ai/client@1.10.1";
  static final String OPENAI_PYTHON_CLIENT = "openai==3.51.0";

  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  private static final String INSTALLED_MARKER = "installed";

  private FalClients() {}

  /** The Python interpreter of a venv that holds {@link #PYTHON_CLIENT}. */
  static Path python() throws IOException, InterruptedException {
    return pythonWith(cache().resolve("python"), PYTHON_CLIENT);
  }

  /** The Python interpreter of a venv that holds {@link #OPENAI_PYTHON_CLIENT}. */
  static Path openAiPython() throws IOException, InterruptedException {
    return pythonWith(kilnCache().resolve("openai-client"), OPENAI_PYTHON_CLIENT);
  }

  private static Path pythonWith(Path venv, String spec) throws IOException, InterruptedException {
    if (!installed(venv, spec)) {
      install(venv, spec, List.of(
          List.of("python3", "-m", "venv", "--clear", venv.toString()),
          List.of(venv.resolve("bin/pip").toString(), "install", "--disable-pip-version-check", spec)));
    }
    return venv.resolve("bin/python");
  }

  /** The {@code node_modules} folder that holds {@link #JS_CLIENT}, for {@code NODE_PATH}. */
  static Path nodeModules() throws IOException, InterruptedException {
    Path prefix = cache().resolve("js");
    if (!installed(prefix, JS_CLIENT)) {
      install(prefix, JS_CLIENT, List.of(List.of("npm", "install", "--prefix", prefix.toString(), "--no-audit",
          "--no-fund", "--no-save", JS_CLIENT)));
    }
    return prefix.resolve("node_modules");
  }

  private static Path cache() {
    return kilnCache().resolve("fal-clients");
  }

  private static Path kilnCache() {
    return Optional.ofNullable(System.getenv("KILN_CACHE_DIR")).filter(dir -> !dir.isBlank()).map(Path::of)
        .orElse(Path.of(System.getProperty("user.home"), ".cache", "kiln"));
  }

  private static boolean installed(Path directory, String spec) throws IOException {
    Path marker = directory.resolve(INSTALLED_MARKER);
    return Files.exists(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(spec);
  }

  private static void install(Path directory, String spec, List<List<String>> steps)
      throws IOException, InterruptedException {
    System.out.println("installing " + spec + " into " + directory + " (once; reused while " + INSTALLED_MARKER
        + " names it)");
    Files.createDirectories(directory);
    Files.deleteIfExists(directory.resolve(INSTALLED_MARKER));
    for (List<String> step : steps) {
      Processes.Outcome outcome = Processes.run(step, Map.of(), cache().resolve("install-logs"), INSTALL_TIMEOUT);
      if (outcome.exitCode() != 0) {
        throw new IllegalStateException("installing " + spec + " failed; the registry must be reachable on the "
            + "first run: " + outcome.describe());
      }
    }
    Files.writeString(directory.resolve(INSTALLED_MARKER), spec, StandardCharsets.UTF_8);
    System.out.println("installed " + spec);
  }
}
