package dev.kiln.gateway.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the durable queue's PostgreSQL is.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://kiln-postgres:5432/kiln}
 * @param user empty when the URL names it
 * @param password empty when the URL names it or none is needed
 * @param maxConnections the most connections this replica opens
 */
public record DatabaseSettings(String jdbcUrl, Optional<String> user, Optional<String> password, int maxConnections) {

  public DatabaseSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("KILN_GATEWAY_DATABASE_URL must be a PostgreSQL JDBC URL such as "
          + "jdbc:postgresql://kiln-postgres:5432/kiln, got '" + jdbcUrl + "'");
    }
    if (maxConnections < 2) {
      throw new IllegalArgumentException("KILN_GATEWAY_DATABASE_CONNECTIONS must be at least 2, got " + maxConnections);
    }
  }
}
