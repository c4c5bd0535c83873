package dev.kiln.runtime.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds the fake NVML library ({@code src/test/resources/fake-nvml/fake_nvml.c}) with gcc, so the
 * FFM binding runs against a real shared library on machines without a GPU. Skips the calling test
 * where gcc is not installed.
 */
final class FakeNvml {

  private FakeNvml() {}

  /** The fake with two GPUs. */
  static Path build(Path directory) throws IOException, InterruptedException {
    return build(directory, "libfake-nvml.so");
  }

  /** The fake whose nvmlInit_v2 answers NVML_ERROR_DRIVER_NOT_LOADED. */
  static Path buildWithoutDriver(Path directory) throws IOException, InterruptedException {
    return build(directory, "libfake-nvml-no-driver.so", "-DFAKE_NVML_DRIVER_NOT_LOADED");
  }

  private static Path build(Path directory, String libraryName, String... defines)
      throws IOException, InterruptedException {
    Assumptions.assumeTrue(gccInstalled(),
        "gcc is not installed: the fake NVML library cannot be built, so the NVML binding is not tested");
    Path source = directory.resolve("fake_nvml.c");
    try (InputStream in = FakeNvml.class.getResourceAsStream("/fake-nvml/fake_nvml.c")) {
      Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
    }
    Path library = directory.resolve(libraryName);
    List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-Wall", "-Werror"));
    command.addAll(List.of(defines));
    command.addAll(List.of("-o", library.toString(), source.toString()));
    Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).as("gcc finishes").isTrue();
    assertThat(gcc.exitValue()).as("gcc %s%n%s", command, output).isZero();
    return library;
  }

  private static boolean gccInstalled() throws InterruptedException {
    try {
      Process gcc = new ProcessBuilder("gcc", "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return gcc.waitFor(30, TimeUnit.SECONDS) && gcc.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
