package dev.kiln.gateway.results;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Results kept as files in {@code directory}, e.g. a persistent volume's mount.
 *
 * @see FileSystemResultObjects
 */
public record FileSystemSettings(Path directory) implements ResultObjectsSettings {

  public FileSystemSettings {
    Objects.requireNonNull(directory, "directory");
  }
}
