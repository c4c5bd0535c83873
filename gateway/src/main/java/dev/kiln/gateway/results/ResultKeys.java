package dev.kiln.gateway.results;

import java.util.Objects;

/**
 * The keys {@link ResultObjects} accept: one or more segments separated by {@code /}, each made of ASCII letters,
 * digits, {@code .}, {@code _} and {@code -} and starting with a letter or digit, at most 512
 * characters in all. Such a key means the same path on every file system and the same name in every S3-compatible
 * store, and can never lead out of a directory: it has no {@code ..}, no leading {@code /} and no backslash.
 */
public final class ResultKeys {

  static final int MAX_LENGTH = 512;

  private ResultKeys() {}

  /**
   * {@code key}, when it is valid.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static String requireValid(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw refused(key, "must not be empty");
    }
    if (key.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a result key must be at most " + MAX_LENGTH + " characters, got "
          + key.length());
    }
    if (key.startsWith("/")) {
      throw refused(key, "must be relative, not start with '/'");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(allowedInSegment(c) || c == '/')) {
        throw refused(key, "may only contain ASCII letters, digits, '.', '_', '-' and '/', not '" + printable(c) + "'");
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()) {
        throw refused(key, "must not have an empty segment (a trailing or doubled '/')");
      }
      if (segment.equals("..") || segment.equals(".")) {
        throw refused(key, "must not have a '" + segment + "' segment");
      }
      if (!Character.isLetterOrDigit(segment.charAt(0))) {
        throw refused(key, "must start each segment with a letter or digit, not '" + segment.charAt(0) + "'");
      }
    }
    return key;
  }

  private static boolean allowedInSegment(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '-';
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }

  private static IllegalArgumentException refused(String key, String reason) {
    return new IllegalArgumentException("a result key " + reason + ", got '" + key.replaceAll("[^\\x20-\\x7e]", "?")
        + "'");
  }
}
