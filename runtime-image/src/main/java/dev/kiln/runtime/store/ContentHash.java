package dev.kiln.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 of files, folders and strings, as lowercase hex. */
public final class ContentHash {

  private ContentHash() {}

  public static String ofFile(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The hash of a folder: SHA-256 over one line per file, sorted by relative path,
   * {@code <relative/path> <sha256 of the file>\n}. Reproducible with
   * {@code (cd DIR && find . -type f | sed 's|^./||' | LC_ALL=C sort | while read f; do echo "$f $(sha256sum < "$f" | cut -d' ' -f1)"; done) | sha256sum}.
   */
  public static String ofTree(Path directory) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files = walk.filter(Files::isRegularFile).sorted((a, b) ->
          directory.relativize(a).toString().compareTo(directory.relativize(b).toString())).toList();
    }
    var manifest = new StringBuilder();
    for (Path file : files) {
      manifest.append(directory.relativize(file).toString().replace('\\', '/')).append(' ')
          .append(ofFile(file)).append('\n');
    }
    return ofString(manifest.toString());
  }

  public static String ofString(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static String of(Path fileOrDirectory) throws IOException {
    return Files.isDirectory(fileOrDirectory) ? ofTree(fileOrDirectory) : ofFile(fileOrDirectory);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
