package dev.kiln.gateway.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One line of a request's log, as the status endpoint lists it ({@code message}, {@code timestamp}, {@code level}). */
public record LogLine(String message, Instant timestamp, Optional<String> level) {

  public LogLine {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(level, "level");
  }
}
