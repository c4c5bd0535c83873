package dev.kiln.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The versions of Kubernetes, Helm, Prometheus and the Prometheus Operator pinned in the parent pom,
 * which the build filters into {@code kiln-local-cluster.properties}.
 */
public final class PinnedVersions {

  private static final Properties VERSIONS = load();

  private PinnedVersions() {}

  /** The version pinned as {@code property}, e.g. {@code kubernetes.version}. */
  public static String of(String property) {
    String version = VERSIONS.getProperty(property);
    if (version == null) {
      throw new IllegalStateException("no " + property + " in kiln-local-cluster.properties: pin it in the parent pom");
    }
    return version;
  }

  private static Properties load() {
    try (InputStream in = PinnedVersions.class.getResourceAsStream("/kiln-local-cluster.properties")) {
      if (in == null) {
        throw new IllegalStateException("kiln-local-cluster.properties is missing from the classpath");
      }
      var properties = new Properties();
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
