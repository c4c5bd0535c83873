package dev.kiln.runtime.store;

import java.net.URI;
import java.util.Locale;

/**
 * Where a model comes from: {@code https://}, {@code file://} (a file or a folder) or
 * {@code hf://ORG/REPO/PATH[@REVISION]}, with the SHA-256 it must have (of the file, or of the
 * folder's tree, see {@link ContentHash#ofTree}) and an optional bearer token.
 */
public record ModelLocation(URI uri, String sha256, String bearerToken) {

  public ModelLocation {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("file") && !scheme.equals("hf")) {
      throw new IllegalArgumentException("unsupported model source " + uri
          + ": use https://, file:// or hf:// (plain http:// is refused; s3:// and pvc:// are resolved by the operator)");
    }
    if (sha256 != null && !sha256.matches("[a-f0-9]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters, got " + sha256);
    }
  }

  public static ModelLocation of(String uri) {
    return new ModelLocation(URI.create(uri), null, null);
  }

  public ModelLocation withSha256(String expected) {
    return new ModelLocation(uri, expected, bearerToken);
  }

  public ModelLocation withBearerToken(String token) {
    return new ModelLocation(uri, sha256, token);
  }

  boolean isLocal() {
    return uri.getScheme().equalsIgnoreCase("file");
  }

  /** The https URL to fetch: hf://ORG/REPO/PATH[@REV] resolves against the hub as ORG/REPO/resolve/REV/PATH. */
  URI httpsUri(URI hubBase) {
    if (!uri.getScheme().equalsIgnoreCase("hf")) {
      return uri;
    }
    String path = uri.getHost() + uri.getPath();
    String revision = "main";
    int at = path.lastIndexOf('@');
    if (at > 0) {
      revision = path.substring(at + 1);
      path = path.substring(0, at);
    }
    String[] parts = path.split("/", 3);
    if (parts.length < 3 || parts[2].isEmpty()) {
      throw new IllegalArgumentException("hf:// sources name a file: hf://ORG/REPO/PATH[@REVISION], got " + uri);
    }
    String base = hubBase.toString().endsWith("/") ? hubBase.toString() : hubBase + "/";
    return URI.create(base + parts[0] + "/" + parts[1] + "/resolve/" + revision + "/" + parts[2]);
  }
}
