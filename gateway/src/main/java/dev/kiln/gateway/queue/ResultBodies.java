package dev.kiln.gateway.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps result bodies within a memory budget: small ones in memory while the budget allows, the rest in temp files in a
 * spill directory. Every body is {@linkplain #release released} once, which frees its memory or deletes its file.
 */
final class ResultBodies implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResultBodies.class);

  private final long spillThresholdBytes;
  private final long memoryBudgetBytes;
  private final Path spillDirectory;
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<Path> spillFiles = new HashSet<>();
  private long bytesInMemory;

  ResultBodies(long spillThresholdBytes, long memoryBudgetBytes, Path spillDirectory) {
    this.spillThresholdBytes = spillThresholdBytes;
    this.memoryBudgetBytes = memoryBudgetBytes;
    this.spillDirectory = spillDirectory;
  }

  /** Keeps {@code bytes} (the caller must not change them afterwards). */
  StoredBody keep(byte[] bytes) {
    lock.lock();
    try {
      if (bytes.length <= spillThresholdBytes && bytesInMemory + bytes.length <= memoryBudgetBytes) {
        bytesInMemory += bytes.length;
        return new InMemoryBody(bytes);
      }
    } finally {
      lock.unlock();
    }
    return spill(bytes);
  }

  /** Frees a body's memory or deletes its spill file. */
  void release(StoredBody body) {
    switch (body) {
      case InMemoryBody inMemory -> {
        lock.lock();
        try {
          bytesInMemory -= inMemory.size();
        } finally {
          lock.unlock();
        }
      }
      case Spilled spilled -> delete(spilled.file());
      default -> throw new IllegalArgumentException("Not a body kept here: " + body);
    }
  }

  /** Bytes of bodies now held in memory. */
  long bytesInMemory() {
    lock.lock();
    try {
      return bytesInMemory;
    } finally {
      lock.unlock();
    }
  }

  /** Deletes every spill file still present. */
  @Override
  public void close() {
    List<Path> files;
    lock.lock();
    try {
      files = List.copyOf(spillFiles);
    } finally {
      lock.unlock();
    }
    files.forEach(this::delete);
  }

  private StoredBody spill(byte[] bytes) {
    try {
      Files.createDirectories(spillDirectory);
      Path file = Files.createTempFile(spillDirectory, "result-", ".body");
      Files.write(file, bytes);
      lock.lock();
      try {
        spillFiles.add(file);
      } finally {
        lock.unlock();
      }
      return new Spilled(file, bytes.length);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write a result body of " + bytes.length + " bytes to the spill directory "
          + spillDirectory + "; check that it exists, is writable and has free space", e);
    }
  }

  private void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("event=spill_delete_failed file={} error={}", file, e.toString());
    }
    lock.lock();
    try {
      spillFiles.remove(file);
    } finally {
      lock.unlock();
    }
  }

  private record Spilled(Path file, long size) implements StoredBody {

    @Override
    public boolean spilled() {
      return true;
    }

    @Override
    public byte[] bytes() {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("The result body in " + file + " can no longer be read", e);
      }
    }
  }
}
