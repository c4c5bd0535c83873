package dev.kiln.runtime.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Which cached models are in use, across every process on the node. A holder keeps a shared
 * OS lock on {@code holds/<hash>} (one per JVM, counted per caller); the evictor deletes a model
 * only while it holds that file's exclusive lock, so it never removes a model someone reads.
 * Hold files are never deleted: a lock on an unlinked file would protect nothing.
 */
final class Holds {

  private record Shared(FileChannel channel, FileLock lock, int count) {}

  private final Path directory;
  private final Map<String, Shared> held = new HashMap<>();

  Holds(Path directory) {
    this.directory = directory;
  }

  synchronized void acquire(String hash) throws IOException {
    Shared current = held.get(hash);
    if (current != null) {
      held.put(hash, new Shared(current.channel(), current.lock(), current.count() + 1));
      return;
    }
    FileChannel channel = FileChannel.open(directory.resolve(hash), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      held.put(hash, new Shared(channel, channel.lock(0, Long.MAX_VALUE, true), 1));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  synchronized void release(String hash) {
    Shared current = held.get(hash);
    if (current == null) {
      return;
    }
    if (current.count() > 1) {
      held.put(hash, new Shared(current.channel(), current.lock(), current.count() - 1));
      return;
    }
    held.remove(hash);
    try {
      current.lock().release();
      current.channel().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code removal} only if no process holds {@code hash}; true when it ran. */
  synchronized boolean removeIfUnheld(String hash, IoAction removal) throws IOException {
    if (held.containsKey(hash)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(directory.resolve(hash), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock exclusive = channel.tryLock();
      if (exclusive == null) {
        return false;
      }
      try {
        removal.run();
        return true;
      } finally {
        exclusive.release();
      }
    }
  }

  @FunctionalInterface
  interface IoAction {
    void run() throws IOException;
  }
}
