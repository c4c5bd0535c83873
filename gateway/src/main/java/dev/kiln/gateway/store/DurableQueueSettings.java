package dev.kiln.gateway.store;

import dev.kiln.gateway.results.FileSystemSettings;
import dev.kiln.gateway.results.ResultObjectsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

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
}
