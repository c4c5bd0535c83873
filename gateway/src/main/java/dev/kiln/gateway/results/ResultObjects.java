package dev.kiln.gateway.results;

import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Where the large binary outputs of queued requests (images, mostly) are kept, by key, outside the database that holds
 * the queue: a directory by default, or an S3-compatible bucket.
 *
 * <p>Keys are made by the gateway: a request id, optionally under {@code /}-separated prefix segments, e.g.
 * {@code 0f2c9a7e-5b1d-4c3e-9f6a-2d8b7c1e4a50} or {@code model-a/0f2c9a7e-5b1d-4c3e-9f6a-2d8b7c1e4a50}; see
 * {@link ResultKeys} for what is accepted. Every operation refuses any other key with an
 * {@link IllegalArgumentException} that says what is wrong with it, and fails with an {@link UncheckedIOException} when
 * the store cannot be read or written.
 */
public interface ResultObjects extends AutoCloseable {

  /** Opens the store {@code settings} describe. */
  static ResultObjects open(ResultObjectsSettings settings) {
    return switch (settings) {
      case FileSystemSettings fileSystem -> new FileSystemResultObjects(fileSystem.directory());
      case S3Settings s3 -> new S3ResultObjects(s3);
    };
  }

  /**
   * Stores {@code bytes} under {@code key}, replacing what was there; readers see the old object or the new one, never
   * a part of one.
   *
   * @param contentType the media type to answer with, e.g. {@code image/png}; see {@link StoredObject}
   */
  void put(String key, byte[] bytes, String contentType);

  /** The object stored under {@code key}, or empty when there is none. */
  Optional<StoredObject> get(String key);

  /** Removes the object stored under {@code key}; a key with no object is no error. */
  void delete(String key);

  /** Where objects are kept, for logs. */
  String describe();

  @Override
  void close();
}
