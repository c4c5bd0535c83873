package dev.kiln.gateway.queue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/** Reads {@code X-Fal-Request-Timeout}: the seconds, integer or decimal, within which a request must start. */
public final class StartDeadline {

  private StartDeadline() {}

  /**
   * The instant by which a request received at {@code receivedAt} must start.
   *
   * @throws IllegalArgumentException when the value is not a positive number of seconds
   */
  public static Instant fromTimeoutHeader(String seconds, Instant receivedAt) {
    BigDecimal parsed;
    try {
      parsed = new BigDecimal(seconds.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "X-Fal-Request-Timeout must be a number of seconds such as 30 or 2.5, got '" + seconds + "'", e);
    }
    if (parsed.signum() <= 0) {
      throw new IllegalArgumentException("X-Fal-Request-Timeout must be more than 0 seconds, got '" + seconds + "'");
    }
    long nanos = parsed.movePointRight(9).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
    return receivedAt.plus(Duration.ofNanos(Math.max(nanos, 1)));
  }
}
