package dev.kiln.crds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The CRDs generated from the types at build time, as shipped on the classpath. */
public final class KilnCrds {

  /** CRD names, in the order to install them. */
  public static final List<String> NAMES = List.of("gpupools.kiln.dev", "models.kiln.dev", "apikeys.kiln.dev");

  private KilnCrds() {}

  /** The CRD YAML for one of {@link #NAMES}. */
  public static String yaml(String name) {
    try (InputStream in = KilnCrds.class.getResourceAsStream("/META-INF/fabric8/" + name + "-v1.yml")) {
      if (in == null) {
        throw new IllegalStateException("no generated CRD " + name + " on the classpath: build the crds module");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
