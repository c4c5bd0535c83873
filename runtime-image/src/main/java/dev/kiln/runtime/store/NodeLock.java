package dev.kiln.runtime.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock shared by every process on the node: a thread lock within this JVM (file
 * locks are held per JVM, not per thread) around an OS file lock for the other processes.
 */
final class NodeLock {

  private static final ConcurrentMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private NodeLock() {}

  /** A held lock; closing it releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  static Held acquire(Path lockFile) throws IOException {
    ReentrantLock threadLock = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), path -> new ReentrantLock());
    threadLock.lock();
    try {
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fileLock = channel.lock();
      return () -> {
        try {
          fileLock.release();
          channel.close();
        } finally {
          threadLock.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      threadLock.unlock();
      throw e;
    }
  }
}
