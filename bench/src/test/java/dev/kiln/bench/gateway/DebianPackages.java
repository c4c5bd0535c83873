package dev.kiln.bench.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs a Debian package whose program a test needs, as {@code bench/gateway-overhead.sh} does:
 * only where the program is missing, the test runs as root and apt-get exists.
 */
final class DebianPackages {

  private DebianPackages() {}

  /** True when {@code program} is in {@code /usr/bin} or {@code /usr/sbin}, after installing {@code pkg} if need be. */
  static boolean ensure(String program, String pkg) throws IOException, InterruptedException {
    if (present(program)) {
      return true;
    }
    if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      return false;
    }
    run(List.of("apt-get", "update", "-qq"));
    run(List.of("apt-get", "install", "-y", "-qq", pkg));
    return present(program);
  }

  private static boolean present(String program) {
    return Files.isExecutable(Path.of("/usr/bin", program)) || Files.isExecutable(Path.of("/usr/sbin", program));
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }
}
