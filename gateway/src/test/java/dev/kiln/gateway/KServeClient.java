package dev.kiln.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Triton's Python KServe v2 client ({@code tritonclient[http]}, pinned in
 * {@code kserve/requirements.txt}) in a venv under {@code ${KILN_CACHE_DIR:-~/.cache/kiln}/kserve-client},
 * created on first use and reused while the pins are unchanged, and the script that drives it.
 */
final class KServeClient {

  private static final long INSTALL_MINUTES = 10;
  private static final long CALL_SECONDS = 120;

  private final Path python;
  private final Path script;

  private KServeClient(Path python, Path script) {
    this.python = python;
    this.script = script;
  }

  /** The client, installing it first when its venv is missing or was made for other pins. */
  static KServeClient install() throws IOException, InterruptedException {
    Path requirements = resource("kserve/requirements.txt");
    Path venv = Optional.ofNullable(System.getenv("KILN_CACHE_DIR")).filter(dir -> !dir.isBlank()).map(Path::of)
        .orElse(Path.of(System.getProperty("user.home"), ".cache", "kiln")).resolve("kserve-client");
    Path installed = venv.resolve("requirements.txt");
    if (!Files.exists(installed) || Files.mismatch(requirements, installed) != -1) {
      System.out.println("Installing the KServe v2 client (tritonclient) into " + venv);
      run(List.of("python3", "-m", "venv", venv.toString()), INSTALL_MINUTES);
      run(List.of(venv.resolve("bin/pip").toString(), "install", "--progress-bar", "off", "-r",
          requirements.toString()), INSTALL_MINUTES);
      Files.copy(requirements, installed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return new KServeClient(venv.resolve("bin/python"), resource("kserve/infer.py"));
  }

  /**
   * Runs {@code kserve/infer.py}: liveness, readiness, metadata and one inference of {@code model}.
   *
   * @return what it printed, a JSON object with {@code metadata} and the output {@code y}
   * @throws AssertionError with the client's output when it fails
   */
  String infer(String hostPort, String model, String apiKey, String inputJson) throws IOException,
      InterruptedException {
    Path log = Files.createTempFile("kserve-client", ".log");
    try {
      Process process = new ProcessBuilder(python.toString(), script.toString(), hostPort, model, apiKey, inputJson)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean exited = process.waitFor(CALL_SECONDS, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      String output = Files.readString(log);
      if (!exited || process.exitValue() != 0) {
        throw new AssertionError("the KServe client " + (exited ? "failed" : "did not finish in " + CALL_SECONDS
            + " s") + ":\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static void run(List<String> command, long minutes) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    // Progress through System.out: the test JVM's own stdout belongs to the test runner.
    Thread.ofVirtual().start(() -> process.inputReader().lines().forEach(System.out::println));
    if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in " + minutes + " minutes");
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed with exit code " + process.exitValue()
          + ": installing the KServe client needs python3 (3.10+) with venv and access to PyPI");
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(KServeClient.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException("cannot read test resource " + name, e));
    }
  }
}
