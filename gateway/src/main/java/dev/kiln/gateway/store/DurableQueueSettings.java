package dev.kiln.gateway.store;

import dev.kiln.crds.DurationText;
import dev.kiln.gateway.results.FileSystemSettings;
import dev.kiln.gateway.results.ResultObjectsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable queue's configuration.
 *
 * @param leaseTime how long a replica holds a request it runs without renewing the lease: a replica that stops is
 *     noticed after this long, and its requests run elsewhere. It renews every third of it.
 * @param resultObjects where outputs too large for the database go
 * @param inlineLimit the largest output, or data URI in a JSON output, kept in the database
 */
public record DurableQueueSettings(DatabaseSettings database, Duration leaseTime, ResultObjectsSettings resultObjects,
    int inlineLimit) {

  /** The largest output kept in the database unless told otherwise: a small image. */
  public static final int DEFAULT_INLINE_LIMIT = 64 * 1024;

  /** With results in {@code java.io.tmpdir}, for a gateway on one machine. */
  public DurableQueueSettings(DatabaseSettings database, Duration leaseTime) {
    this(database, leaseTime, new FileSystemSettings(Path.of(System.getProperty("java.io.tmpdir"), "kiln-gateway",
        "results")), DEFAULT_INLINE_LIMIT);
  }

  public DurableQueueSettings {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(resultObjects, "resultObjects");
    if (inlineLimit < 0) {
      throw new IllegalArgumentException("KILN_GATEWAY_RESULT_INLINE_BYTES must not be negative, got " + inlineLimit);
    }
    if (leaseTime.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("KILN_GATEWAY_LEASE_TIME must be at least 1s, got " + leaseTime);
    }
  }

  /** Every third of the lease time, so two renewals may fail before a lease runs out. */
  public Duration renewEvery() {
    return leaseTime.dividedBy(3);
  }

  /** The settings when {@code KILN_GATEWAY_DATABASE_URL} is set; empty, for an in-memory queue, when not. */
  public static Optional<DurableQueueSettings> fromEnvironment(Map<String, String> env) {
    Optional<String> url = value(env, "KILN_GATEWAY_DATABASE_URL");
    if (url.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DurableQueueSettings(new DatabaseSettings(url.get(),
        value(env, "KILN_GATEWAY_DATABASE_USER"), value(env, "KILN_GATEWAY_DATABASE_PASSWORD"),
        number(env, "KILN_GATEWAY_DATABASE_CONNECTIONS", 10)),
        DurationText.fromEnvironment(env, "KILN_GATEWAY_LEASE_TIME", Duration.ofSeconds(30)),
        ResultObjectsSettings.fromEnvironment(env),
        number(env, "KILN_GATEWAY_RESULT_INLINE_BYTES", DEFAULT_INLINE_LIMIT)));
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    Optional<String> value = value(env, name);
    try {
      return value.map(Integer::parseInt).orElse(fallback);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value.get() + "'", e);
    }
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
  }
}
