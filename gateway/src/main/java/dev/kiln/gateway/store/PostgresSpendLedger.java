package dev.kiln.gateway.store;

import dev.kiln.gateway.auth.SpendLimit;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The spend ledger in PostgreSQL, shared by every replica, so a cap holds across them: admissions of one key take
 * turns (a transaction-scoped advisory lock on the key), each seeing what every replica reserved and recorded.
 */
public final class PostgresSpendLedger implements SpendLedger {

  private final Database database;
  private final Clock clock;

  public PostgresSpendLedger(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public SpendCheck reserve(String requestId, String apiKey, SpendLimit limit, BigDecimal estimate) {
    Instant now = clock.instant();
    return database.inTransaction(connection -> {
      try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
        lock.setString(1, apiKey);
        lock.execute();
      }
      BigDecimal committed = spent(connection, apiKey, limit.periodStart(now));
      BigDecimal reserved;
      try (PreparedStatement sum = connection.prepareStatement(
          "SELECT COALESCE(sum(amount), 0) FROM spend_reservations WHERE api_key = ?")) {
        sum.setString(1, apiKey);
        try (ResultSet row = sum.executeQuery()) {
          row.next();
          reserved = row.getBigDecimal(1);
        }
      }
      if (committed.add(reserved).compareTo(limit.amount()) >= 0) {
        return new SpendCheck.CapReached(committed, reserved);
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO spend_reservations (request_id, api_key, amount, created_at) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, requestId);
        insert.setString(2, apiKey);
        insert.setBigDecimal(3, estimate);
        insert.setObject(4, now.atOffset(ZoneOffset.UTC));
        insert.executeUpdate();
      }
      return new SpendCheck.Reserved();
    });
  }

  @Override
  public void settle(Usage usage) {
    database.inTransaction(connection -> {
      record(connection, usage);
      return null;
    });
  }

  @Override
  public void release(String requestId) {
    database.inTransaction(connection -> {
      release(connection, requestId);
      return null;
    });
  }

  @Override
  public BigDecimal spent(String apiKey, SpendLimit limit, Instant at) {
    return database.inTransaction(connection -> spent(connection, apiKey, limit.periodStart(at)));
  }

  /**
   * Frees the reservations of runs older than {@code age} (no queued request holds them): those a replica made before
   * it stopped. A queued request's reservation goes with its completion, however long it waits.
   *
   * @return how many
   */
  @Override
  public int releaseAbandonedRuns(Duration age) {
    return database.inTransaction(connection -> {
      try (PreparedStatement delete = connection.prepareStatement("""
          DELETE FROM spend_reservations reservation WHERE created_at < ?
            AND NOT EXISTS (SELECT 1 FROM requests WHERE requests.id = reservation.request_id)""")) {
        delete.setObject(1, clock.instant().minus(age).atOffset(ZoneOffset.UTC));
        return delete.executeUpdate();
      }
    });
  }

  /** Writes {@code usage}'s row, adds its cost to its key's day, and frees its reservation, in {@code connection}'s transaction. */
  static void record(Connection connection, Usage usage) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("""
        INSERT INTO usage (request_id, api_key, model, compute_seconds, price_per_second, cost, finished_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
      insert.setString(1, usage.requestId());
      insert.setString(2, usage.apiKey());
      insert.setString(3, usage.model());
      insert.setBigDecimal(4, usage.computeSeconds());
      insert.setBigDecimal(5, usage.pricePerSecond());
      insert.setBigDecimal(6, usage.cost());
      insert.setObject(7, OffsetDateTime.ofInstant(usage.finishedAt(), ZoneOffset.UTC));
      insert.executeUpdate();
    }
    try (PreparedStatement add = connection.prepareStatement("""
        INSERT INTO key_spend_daily (api_key, day, spent) VALUES (?, ?, ?)
        ON CONFLICT (api_key, day) DO UPDATE SET spent = key_spend_daily.spent + excluded.spent""")) {
      add.setString(1, usage.apiKey());
      add.setObject(2, LocalDate.ofInstant(usage.finishedAt(), ZoneOffset.UTC));
      add.setBigDecimal(3, usage.cost());
      add.executeUpdate();
    }
    release(connection, usage.requestId());
  }

  static void release(Connection connection, String requestId) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM spend_reservations WHERE request_id = ?")) {
      delete.setString(1, requestId);
      delete.executeUpdate();
    }
  }

  private static BigDecimal spent(Connection connection, String apiKey, LocalDate from) throws SQLException {
    try (PreparedStatement sum = connection.prepareStatement(
        "SELECT COALESCE(sum(spent), 0) FROM key_spend_daily WHERE api_key = ? AND day >= ?")) {
      sum.setString(1, apiKey);
      sum.setObject(2, from);
      try (ResultSet row = sum.executeQuery()) {
        row.next();
        return row.getBigDecimal(1);
      }
    }
  }
}
