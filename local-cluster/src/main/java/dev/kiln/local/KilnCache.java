package dev.kiln.local;

import java.nio.file.Path;
import java.util.Map;

/** Where Kiln's local tools keep what outlives a run: {@code ${KILN_CACHE_DIR:-~/.cache/kiln}}. */
public final class KilnCache {

  private KilnCache() {}

  /** The cache root for this process's environment. */
  public static Path root() {
    return root(System.getenv(), System.getProperty("user.home"));
  }

  /** The cache root: {@code KILN_CACHE_DIR} from {@code environment} where set, else {@code <userHome>/.cache/kiln}. */
  public static Path root(Map<String, String> environment, String userHome) {
    String configured = environment.get("KILN_CACHE_DIR");
    return configured == null || configured.isBlank() ? Path.of(userHome, ".cache", "kiln") : Path.of(configured);
  }
}
