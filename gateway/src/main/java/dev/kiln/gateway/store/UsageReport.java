package dev.kiln.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The usage ledger summed per key, model and UTC hour, for export to billing. */
public final class UsageReport {

  private final Database database;

  public UsageReport(Database database) {
    this.database = database;
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
