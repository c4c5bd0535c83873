package dev.kiln.gateway.results;

import java.util.Objects;

/**
 * An object read back from {@link ResultObjects}: its bytes and the media type to serve them with. Results are at most
 * tens of MiB, so they are held in memory whole; the array is not copied.
 *
 * @param contentType a media type such as {@code image/png} or {@code application/json; charset=utf-8}: printable
 *     ASCII, as an HTTP header value must be, at most 255 characters
 */
public record StoredObject(String contentType, byte[] bytes) {

  static final int MAX_CONTENT_TYPE_LENGTH = 255;

  public StoredObject {
    requireValidContentType(contentType);
    Objects.requireNonNull(bytes, "bytes");
  }

  /** {@code contentType}, when it is one a {@link StoredObject} may have. */
  static String requireValidContentType(String contentType) {
    Objects.requireNonNull(contentType, "contentType");
    if (contentType.isBlank()) {
      throw new IllegalArgumentException("a result's content type must not be blank");
    }
    if (contentType.length() > MAX_CONTENT_TYPE_LENGTH) {
      throw new IllegalArgumentException("a result's content type must be at most " + MAX_CONTENT_TYPE_LENGTH
          + " characters, got " + contentType.length());
    }
    if (!contentType.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("a result's content type must be printable ASCII (no line breaks), got '"
          + contentType.replaceAll("[^\\x20-\\x7e]", "?") + "'");
    }
    return contentType;
  }
}
