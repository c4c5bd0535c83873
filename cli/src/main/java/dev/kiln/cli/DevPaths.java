package dev.kiln.cli;

import dev.kiln.local.KilnCache;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@code kiln dev} keeps things, {@code KILN_DEV_DIR} or else
 * {@code ${KILN_CACHE_DIR:-~/.cache/kiln}/dev}: what outlives a run (the API key, the certificates,
 * the sample picture) and the run's own directory, emptied at each start.
 */
public record DevPaths(Path root) {

  public static DevPaths fromEnvironment(Map<String, String> env) {
    String dev = env.get("KILN_DEV_DIR");
    if (dev != null && !dev.isBlank()) {
      return new DevPaths(Path.of(dev).toAbsolutePath());
    }
    return new DevPaths(KilnCache.root(env, System.getProperty("user.home")).resolve("dev"));
  }

  /** This run's control plane, node agent and logs. */
  public Path run() {
    return root.resolve("run");
  }

  Path log() {
    return run().resolve("kiln-dev.log");
  }

  Path tls() {
    return root.resolve("tls");
  }

  Path apiKeySecret() {
    return root.resolve("api-key");
  }

  Path samplePicture() {
    return root.resolve("sample.png");
  }
}
