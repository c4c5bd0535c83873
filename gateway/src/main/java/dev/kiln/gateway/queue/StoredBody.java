package dev.kiln.gateway.queue;

import java.io.UncheckedIOException;

/** A result body kept by a {@link RequestStore}: in memory, or spilled to a file and read back on demand. */
public interface StoredBody {

  /** Its length in bytes. */
  long size();

  /** Whether it lives in a spill file rather than in memory. */
  boolean spilled();

  /**
   * The body's bytes.
   *
   * @throws UncheckedIOException when a spilled body cannot be read, e.g. because its request expired meanwhile
   */
  byte[] bytes();
}
