package dev.kiln.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL: a connection pool, with the schema migrated to this version's at open (Flyway; replicas
 * that start together take turns, Flyway locks the schema history).
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource pool;

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /** @throws IllegalStateException when the database cannot be reached or migrated, saying which */
  public static Database open(DatabaseSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("kiln-gateway-db");
    config.setJdbcUrl(settings.jdbcUrl());
    settings.user().ifPresent(config::setUsername);
    settings.password().ifPresent(config::setPassword);
    config.setMaximumPoolSize(settings.maxConnections());
    config.setConnectionTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot connect to the database at " + redacted(settings.jdbcUrl())
          + " (KILN_GATEWAY_DATABASE_URL): " + e.getMessage(), e);
    }
    try {
      MigrateResult migrated = Flyway.configure().dataSource(pool).load().migrate();
      log.info("database ready url={} schema={} migrationsApplied={}", redacted(settings.jdbcUrl()),
          migrated.targetSchemaVersion, migrated.migrationsExecuted);
      return new Database(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw new IllegalStateException("cannot migrate the database at " + redacted(settings.jdbcUrl()) + ": "
          + e.getMessage(), e);
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T inTransaction(Work<T> work) {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** Work done on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** The URL without a password given as a parameter. */
  static String redacted(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public void close() {
    pool.close();
  }
}
