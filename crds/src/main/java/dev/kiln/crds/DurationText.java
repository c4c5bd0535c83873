package dev.kiln.crds;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the CRDs write them: amounts with a unit each, e.g. {@code 500ms}, {@code 60s}, {@code 1m30s}, {@code 2h}. */
public final class DurationText {

  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private DurationText() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} for anything else, blanks included. */
  public static Duration parse(String text) {
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    int end = 0;
    while (part.find() && part.start() == end) {
      long amount = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      });
      end = part.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException("not a duration such as 500ms, 60s or 2m: " + text);
    }
    return total;
  }

  /**
   * The duration in the environment variable {@code name}, or {@code fallback} when it is unset or
   * blank; a value that is no duration is refused with a message naming the variable.
   */
  public static Duration fromEnvironment(Map<String, String> env, String name, Duration fallback) {
    Optional<String> value = Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
    try {
      return value.map(DurationText::parse).orElse(fallback);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " must be a duration such as 500ms, 60s or 2m, got '" + value.get() + "'", e);
    }
  }
}
