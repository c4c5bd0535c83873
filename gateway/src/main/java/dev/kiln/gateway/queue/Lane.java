package dev.kiln.gateway.queue;

import java.util.Locale;
import java.util.Optional;

/**
 * A priority lane of a model's queue ({@code X-Fal-Queue-Priority}). Every waiting {@link #NORMAL} request starts
 * before any {@link #LOW} one; within a lane requests start in arrival order.
 */
public enum Lane {
  NORMAL,
  LOW;

  /**
   * The lane named by a {@code X-Fal-Queue-Priority} header value ({@code normal} or {@code low}, any case).
   *
   * @throws IllegalArgumentException for any other value, with a message that names the accepted ones
   */
  public static Lane fromHeader(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "normal" -> NORMAL;
      case "low" -> LOW;
      default -> throw new IllegalArgumentException(
          "X-Fal-Queue-Priority must be 'normal' or 'low', got '" + value + "'");
    };
  }

  /**
   * The lane of a request: its {@code X-Fal-Queue-Priority} header when sent, else the default of its API key.
   *
   * @throws IllegalArgumentException when the header names no lane
   */
  public static Lane forRequest(Optional<String> priorityHeader, Lane keyDefault) {
    return priorityHeader.map(Lane::fromHeader).orElse(keyDefault);
  }
}
