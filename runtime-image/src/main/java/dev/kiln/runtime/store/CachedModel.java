package dev.kiln.runtime.store;

import java.nio.file.Path;

/**
 * A model in the node cache: its file (or folder) and content hash. While open it is held, so
 * no process on the node evicts it; close it when the model is unloaded.
 */
public final class CachedModel implements AutoCloseable {

  private final Path path;
  private final String sha256;
  private final Holds holds;
  private boolean closed;

  CachedModel(Path path, String sha256, Holds holds) {
    this.path = path;
    this.sha256 = sha256;
    this.holds = holds;
  }

  public Path path() {
    return path;
  }

  public String sha256() {
    return sha256;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      holds.release(sha256);
    }
  }
}
