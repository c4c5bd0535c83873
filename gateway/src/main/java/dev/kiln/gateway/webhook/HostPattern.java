package dev.kiln.gateway.webhook;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host name an allow-list lets webhooks reach: exactly {@code hooks.internal.example.com}, or
 * with {@code *.corp.example.com} any name below {@code corp.example.com}, however deep, but not
 * {@code corp.example.com} itself. Names compare without case and without a trailing dot.
 */
record HostPattern(String name, boolean wildcard) {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** @throws IllegalArgumentException when {@code text} is no host name, with or without a leading {@code *.} */
  static HostPattern parse(String text) {
    boolean wildcard = text.startsWith("*.");
    String name = normalized(wildcard ? text.substring(2) : text);
    String[] labels = name.split("\\.", -1);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("'" + text + "' is not a host name: '" + label + "' is not a DNS label "
            + "(letters, digits and inner hyphens" + (text.contains("*") ? "; '*' only as a leading '*.'" : "") + ")");
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("'" + text + "' is neither a host name, whose last label is not a number, "
          + "nor an IPv4 address in four decimal parts");
    }
    return new HostPattern(name, wildcard);
  }

  /** @param host lower case, without a trailing dot, as {@link #normalized} gives it */
  boolean matches(String host) {
    return wildcard ? host.endsWith("." + name) : host.equals(name);
  }

  /** {@code host} in lower case without trailing dots: {@code LocalHost.} is {@code localhost}. */
  static String normalized(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    int end = lower.length();
    while (end > 0 && lower.charAt(end - 1) == '.') {
      end--;
    }
    return lower.substring(0, end);
  }

  @Override
  public String toString() {
    return wildcard ? "*." + name : name;
  }
}
