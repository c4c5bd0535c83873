package dev.kiln.runtime.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local model cache, shared by every worker process on the node. Models are stored by
 * content hash under {@code blobs/}; a download goes to {@code partial/} (kept across failures so
 * the next attempt resumes), is verified, and is renamed into place atomically, so no one ever
 * reads half a file. A lock per source makes one process download while the others wait and then
 * find it cached. Beyond {@code maxBytes}, least recently used models that nobody holds are evicted.
 *
 * <p>Without a declared sha256, the first download of a URL is reused for that URL; declare the
 * hash to pin the content. Local {@code file://} sources are hashed on every fetch.
 */
public final class ModelStore {

  private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
  public static final URI HUGGING_FACE = URI.create("https://huggingface.co");

  private final Path blobs;
  private final Path refs;
  private final Path partials;
  private final Path locks;
  private final long maxBytes;
  private final URI hubBase;
  private final HttpDownloader downloader;
  private final Holds holds;

  private ModelStore(Path root, long maxBytes, URI hubBase, HttpDownloader downloader) throws IOException {
    this.blobs = Files.createDirectories(root.resolve("blobs"));
    this.refs = Files.createDirectories(root.resolve("refs"));
    this.partials = Files.createDirectories(root.resolve("partial"));
    this.locks = Files.createDirectories(root.resolve("locks"));
    this.holds = new Holds(Files.createDirectories(root.resolve("holds")));
    this.maxBytes = maxBytes;
    this.hubBase = hubBase;
    this.downloader = downloader;
  }

  public static ModelStore open(Path root, long maxBytes) throws IOException {
    return open(root, maxBytes, HUGGING_FACE);
  }

  /** With {@code hf://} resolved against {@code hubBase} instead of the Hugging Face hub. */
  public static ModelStore open(Path root, long maxBytes, URI hubBase) throws IOException {
    return new ModelStore(root, maxBytes, hubBase, HttpDownloader.withDefaults());
  }

  /** With downloads through {@code http}, e.g. one that trusts a private certificate authority. */
  public static ModelStore open(Path root, long maxBytes, URI hubBase, HttpClient http) throws IOException {
    return new ModelStore(root, maxBytes, hubBase, new HttpDownloader(http));
  }

  /** The model, from the cache or fetched into it, held until the returned model is closed. */
  public CachedModel fetch(ModelLocation location) throws ModelFetchException {
    try {
      String key = ContentHash.ofString(location.uri().toString());
      String knownHash = knownHash(location, key);
      Optional<CachedModel> cached = holdIfCached(knownHash);
      if (cached.isPresent()) {
        return cached.get();
      }
      CachedModel fetched;
      try (NodeLock.Held lock = NodeLock.acquire(locks.resolve(key + ".lock"))) {
        cached = holdIfCached(knownHash(location, key));
        if (cached.isPresent()) {
          return cached.get();
        }
        fetched = fetchLocked(location, key);
      }
      evictBeyondLimit();
      return fetched;
    } catch (IOException e) {
      throw new ModelFetchException("model cache I/O failed for " + location.uri() + ": " + e.getMessage(), e);
    }
  }

  /** Total bytes of the cached models. */
  public long sizeBytes() throws IOException {
    long total = 0;
    for (Path blob : listBlobs()) {
      total += size(blob);
    }
    return total;
  }

  private CachedModel fetchLocked(ModelLocation location, String key) throws IOException, ModelFetchException {
    Path partial = partials.resolve(key);
    if (location.isLocal()) {
      copyLocal(Path.of(location.uri()), partial);
    } else {
      downloader.download(location.httpsUri(hubBase), location.bearerToken(), partial);
    }
    String actual = ContentHash.of(partial);
    if (location.sha256() != null && !location.sha256().equals(actual)) {
      deleteRecursively(partial);
      throw new ModelFetchException(("sha256 mismatch for %s: expected %s, got %s; the download was discarded. "
          + "Check spec.source.sha256, or whether the file at the source changed").formatted(
          location.uri(), location.sha256(), actual));
    }
    holds.acquire(actual);
    Path blob = blobs.resolve(actual);
    if (Files.exists(blob)) {
      deleteRecursively(partial);
    } else {
      Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE);
    }
    if (!location.isLocal()) {
      Path ref = refs.resolve(key);
      Path temporary = refs.resolve(key + ".tmp");
      Files.writeString(temporary, actual, StandardCharsets.US_ASCII);
      Files.move(temporary, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    touch(blob);
    LOG.info("cached {} as {} ({} bytes)", location.uri(), actual, size(blob));
    return new CachedModel(blob, actual, holds);
  }

  private String knownHash(ModelLocation location, String key) throws IOException, ModelFetchException {
    if (location.sha256() != null) {
      return location.sha256();
    }
    if (location.isLocal()) {
      Path source = Path.of(location.uri());
      if (!Files.exists(source)) {
        throw new ModelFetchException("model source " + location.uri() + " does not exist on this node");
      }
      return ContentHash.of(source);
    }
    Path ref = refs.resolve(key);
    return Files.exists(ref) ? Files.readString(ref, StandardCharsets.US_ASCII).trim() : null;
  }

  private Optional<CachedModel> holdIfCached(String hash) throws IOException {
    if (hash == null) {
      return Optional.empty();
    }
    holds.acquire(hash);
    Path blob = blobs.resolve(hash);
    if (!Files.exists(blob)) {
      holds.release(hash);
      return Optional.empty();
    }
    touch(blob);
    return Optional.of(new CachedModel(blob, hash, holds));
  }

  private void evictBeyondLimit() throws IOException {
    try (NodeLock.Held lock = NodeLock.acquire(locks.resolve("evict.lock"))) {
      List<Path> byLastUse = listBlobs().stream()
          .sorted(Comparator.comparing(ModelStore::lastModified))
          .toList();
      long total = 0;
      for (Path blob : byLastUse) {
        total += size(blob);
      }
      for (Path blob : byLastUse) {
        if (total <= maxBytes) {
          return;
        }
        long size = size(blob);
        if (holds.removeIfUnheld(blob.getFileName().toString(), () -> deleteRecursively(blob))) {
          total -= size;
          LOG.info("evicted {} ({} bytes) to keep the model cache under {} bytes", blob.getFileName(), size, maxBytes);
        }
      }
      if (total > maxBytes) {
        LOG.warn("model cache holds {} bytes, over its limit of {}: every remaining model is in use", total, maxBytes);
      }
    }
  }

  private static Instant lastTouch = Instant.EPOCH;

  /** Marks a model used now; strictly later than the previous touch in this JVM, so LRU order never ties. */
  private static void touch(Path blob) throws IOException {
    Instant now;
    synchronized (ModelStore.class) {
      now = Instant.now();
      if (!now.isAfter(lastTouch)) {
        now = lastTouch.plusMillis(1);
      }
      lastTouch = now;
    }
    Files.setLastModifiedTime(blob, FileTime.from(now));
  }

  private List<Path> listBlobs() throws IOException {
    try (Stream<Path> entries = Files.list(blobs)) {
      return entries.toList();
    }
  }

  private static void copyLocal(Path source, Path partial) throws IOException, ModelFetchException {
    if (!Files.exists(source)) {
      throw new ModelFetchException("model source " + source + " does not exist on this node");
    }
    deleteRecursively(partial);
    if (!Files.isDirectory(source)) {
      Files.copy(source, partial);
      return;
    }
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path from : walk.toList()) {
        Path to = partial.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
  }

  private static long size(Path blob) throws IOException {
    if (!Files.isDirectory(blob)) {
      return Files.size(blob);
    }
    try (Stream<Path> walk = Files.walk(blob)) {
      return walk.filter(Files::isRegularFile).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    }
  }

  private static FileTime lastModified(Path blob) {
    try {
      return Files.getLastModifiedTime(blob);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(entry);
      }
    }
  }
}
