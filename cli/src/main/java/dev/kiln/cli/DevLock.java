package dev.kiln.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One {@code kiln dev} at a time per cache: a second would share its run directory and ports. */
final class DevLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DevLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DevLock take(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("another kiln dev is running with the cache " + file.getParent()
          + ": stop it first (Ctrl-C), or give this one its own KILN_CACHE_DIR");
    }
    return new DevLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
