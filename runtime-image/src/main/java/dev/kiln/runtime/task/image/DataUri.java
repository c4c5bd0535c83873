package dev.kiln.runtime.task.image;

import dev.kiln.runtime.task.InvalidInputException;
import java.util.Base64;
import java.util.Locale;

/**
 * Images passed inline as {@code data:} URIs (RFC 2397), as fal-style JSON requests carry them. Only
 * base64 data URIs are read: the worker never fetches a URL, the gateway passes images inline.
 */
final class DataUri {

  private DataUri() {}

  /** The bytes of {@code data:<media type>;base64,<data>}; the media type is not trusted, the bytes are sniffed later. */
  static byte[] decode(String uri) throws InvalidInputException {
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      throw new InvalidInputException("unsupported_image_url", "image_url is an " + lower.substring(0, lower.indexOf(':'))
          + " URL, and this worker does not fetch URLs (the gateway passes images inline): send the image itself as "
          + "\"data:image/png;base64,...\", or POST its bytes with Content-Type image/png or image/jpeg");
    }
    int comma = uri.indexOf(',');
    if (!lower.startsWith("data:") || comma < 0 || !lower.substring(0, comma).endsWith(";base64")) {
      throw new InvalidInputException("unsupported_image_url",
          "image_url must be a base64 data URI such as \"data:image/png;base64,iVBORw0...\", got \""
              + abbreviate(uri) + "\"");
    }
    try {
      return Base64.getDecoder().decode(uri.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("invalid_image", "the data of image_url is not valid base64: " + e.getMessage());
    }
  }

  static String png(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }

  private static String abbreviate(String uri) {
    return uri.length() <= 40 ? uri : uri.substring(0, 40) + "...";
  }
}
