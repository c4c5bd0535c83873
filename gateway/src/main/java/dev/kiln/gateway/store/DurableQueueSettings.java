package dev.kiln.gateway.store;

import dev.kiln.crds.DurationText;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable queue's configuration.
 *
 * @param leaseTime how long a replica holds a request it runs without renewing the lease: a replica that stops is
 *     noticed after this long, and its requests run elsewhere. It renews every third of it.
 */
public record DurableQueueSettings(DatabaseSettings database, Duration leaseTime) {

  public DurableQueueSettings {
    Objects.requireNonNull(database, "database");
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
    Optional<String> connections = value(env, "KILN_GATEWAY_DATABASE_CONNECTIONS");
    int maxConnections;
    try {
      maxConnections = connections.map(Integer::parseInt).orElse(10);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("KILN_GATEWAY_DATABASE_CONNECTIONS must be a whole number, got '"
          + connections.get() + "'", e);
    }
    return Optional.of(new DurableQueueSettings(new DatabaseSettings(url.get(),
        value(env, "KILN_GATEWAY_DATABASE_USER"), value(env, "KILN_GATEWAY_DATABASE_PASSWORD"), maxConnections),
        DurationText.fromEnvironment(env, "KILN_GATEWAY_LEASE_TIME", Duration.ofSeconds(30))));
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
  }
}
