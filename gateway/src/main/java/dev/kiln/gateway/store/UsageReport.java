package dev.kiln.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The usage ledger summed per key, model and UTC hour, for export to billing. */
public final class UsageReport {

  private final Database database;

  public UsageReport(Database database) {
    this.database = database;
  }

  /** Every key's spend and requests in the UTC day and month {@code now} falls in, by key id. */
  public Map<String, KeySpend> currentSpend(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    LocalDate monthStart = today.withDayOfMonth(1);
    return database.inTransaction(connection -> {
      Map<String, KeySpend> spend = new HashMap<>();
      try (PreparedStatement select = connection.prepareStatement("""
          SELECT api_key, COALESCE(sum(spent) FILTER (WHERE day = ?), 0), sum(spent)
          FROM key_spend_daily WHERE day >= ? GROUP BY api_key""")) {
        select.setObject(1, today);
        select.setObject(2, monthStart);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            spend.put(rows.getString(1), new KeySpend(rows.getBigDecimal(2), rows.getBigDecimal(3), 0, 0,
                Optional.empty()));
          }
        }
      }
      try (PreparedStatement select = connection.prepareStatement("""
          SELECT api_key, count(*) FILTER (WHERE finished_at >= ?), count(*), max(finished_at)
          FROM usage WHERE finished_at >= ? GROUP BY api_key""")) {
        select.setObject(1, today.atStartOfDay().atOffset(ZoneOffset.UTC));
        select.setObject(2, monthStart.atStartOfDay().atOffset(ZoneOffset.UTC));
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            KeySpend money = spend.getOrDefault(rows.getString(1), KeySpend.NONE);
            spend.put(rows.getString(1), new KeySpend(money.today(), money.thisMonth(), rows.getLong(2),
                rows.getLong(3), Optional.of(rows.getObject(4, OffsetDateTime.class).toInstant())));
          }
        }
      }
      return spend;
    });
  }

  /** Every hour from {@code from} (inclusive) to {@code to} (exclusive) with usage, by hour, key and model. */
  public List<HourlyUsage> hourly(Instant from, Instant to) {
    return database.inTransaction(connection -> {
      try (PreparedStatement select = connection.prepareStatement("""
          SELECT date_trunc('hour', finished_at AT TIME ZONE 'UTC') AS hour, api_key, model, count(*),
                 sum(compute_seconds), sum(cost)
          FROM usage WHERE finished_at >= ? AND finished_at < ?
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")) {
        select.setObject(1, from.atOffset(ZoneOffset.UTC));
        select.setObject(2, to.atOffset(ZoneOffset.UTC));
        List<HourlyUsage> hours = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            hours.add(new HourlyUsage(rows.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                rows.getString(2), rows.getString(3), rows.getLong(4), rows.getBigDecimal(5).stripTrailingZeros(),
                rows.getBigDecimal(6).stripTrailingZeros()));
          }
        }
        return hours;
      }
    });
  }
}
