package dev.kiln.gateway.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Keeps result objects as files in one directory, e.g. a persistent volume: the default store, which needs nothing
 * but a disk.
 *
 * <p>A key's prefix segments become subdirectories, created as needed and left in place when emptied. Each object is
 * one file holding its content type on a first line, then its bytes, so that both are replaced together. The file's
 * name is the key's last segment followed by {@code @}, which no key contains: key {@code a} and key
 * {@code a/b} then live side by side, as they do in S3. Nothing is read or written outside the directory, not even
 * through a symbolic link inside it.
 */
public final class FileSystemResultObjects implements ResultObjects {

  private static final String OBJECT_SUFFIX = "@";

  private final Path root;

  /** Opens the store in {@code directory}, creating it when missing. */
  public FileSystemResultObjects(Path directory) {
    try {
      Files.createDirectories(directory);
      this.root = directory.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + directory + " for results", e);
    }
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) {
    List<String> segments = segments(key);
    StoredObject.requireValidContentType(contentType);
    try {
      Path directory = directoryFor(key, segments, true).orElseThrow();
      String name = segments.getLast();
      // Starting with '.', which no key segment does, a temporary file never takes an object's or a directory's name.
      Path temporary = Files.createTempFile(directory, "." + name + ".", ".tmp");
      try {
        write(temporary, (contentType + "\n").getBytes(StandardCharsets.US_ASCII), bytes);
        Files.move(temporary, directory.resolve(name + OBJECT_SUFFIX), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store result " + key + " in " + root, e);
    }
  }

  @Override
  public Optional<StoredObject> get(String key) {
    List<String> segments = segments(key);
    try {
      Optional<Path> directory = directoryFor(key, segments, false);
      if (directory.isEmpty()) {
        return Optional.empty();
      }
      Path file = inside(directory.get().resolve(segments.getLast() + OBJECT_SUFFIX).toRealPath(), key);
      return Optional.of(read(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read result " + key + " from " + root, e);
    }
  }

  @Override
  public void delete(String key) {
    List<String> segments = segments(key);
    try {
      Optional<Path> directory = directoryFor(key, segments, false);
      if (directory.isPresent()) {
        Files.deleteIfExists(directory.get().resolve(segments.getLast() + OBJECT_SUFFIX));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete result " + key + " from " + root, e);
    }
  }

  @Override
  public String describe() {
    return "results in directory " + root;
  }

  /** Holds no resources: every operation opens and closes its own files. */
  @Override
  public void close() {}

  private static List<String> segments(String key) {
    return Arrays.asList(ResultKeys.requireValid(key).split("/"));
  }

  /**
   * The real directory of the key's prefix segments, each created when missing if {@code create}, else empty when one
   * is missing.
   */
  private Optional<Path> directoryFor(String key, List<String> segments, boolean create) throws IOException {
    Path directory = root;
    for (String segment : segments.subList(0, segments.size() - 1)) {
      Path next = directory.resolve(segment);
      if (create) {
        try {
          Files.createDirectory(next);
        } catch (FileAlreadyExistsException alreadyThere) {
          // made by an earlier put, or a link that inside() checks next
        }
      }
      try {
        directory = inside(next.toRealPath(), key);
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    }
    return Optional.of(directory);
  }

  private Path inside(Path realPath, String key) {
    if (!realPath.startsWith(root)) {
      throw new IllegalArgumentException("result key '" + key + "' leads outside " + root
          + " through a symbolic link, to " + realPath);
    }
    return realPath;
  }

  private static void write(Path file, byte[] header, byte[] body) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer[] buffers = {ByteBuffer.wrap(header), ByteBuffer.wrap(body)};
      while (buffers[1].hasRemaining() || buffers[0].hasRemaining()) {
        channel.write(buffers);
      }
      // On disk before the move makes it visible, so a crash cannot leave an object with a name but no bytes.
      channel.force(true);
    }
  }

  /** Reads an object file; files are replaced by a move, never changed in place, so its size holds while open. */
  private static StoredObject read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(StoredObject.MAX_CONTENT_TYPE_LENGTH + 1);
      readFully(channel, head);
      int newline = 0;
      while (newline < head.position() && head.get(newline) != '\n') {
        newline++;
      }
      if (newline == head.position()) {
        throw new IOException(file + " is no result object: it does not start with a content type line");
      }
      String contentType = new String(head.array(), 0, newline, StandardCharsets.US_ASCII);
      ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(channel.size() - newline - 1));
      channel.position(newline + 1);
      readFully(channel, body);
      return new StoredObject(contentType, body.array());
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        return;
      }
    }
  }
}
