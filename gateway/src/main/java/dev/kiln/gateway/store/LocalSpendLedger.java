package dev.kiln.gateway.store;

import dev.kiln.gateway.auth.SpendLimit;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * The spend ledger of a gateway without a database: in this replica's memory, so caps hold for what it serves alone,
 * and spend starts from nothing at each start.
 */
public final class LocalSpendLedger implements SpendLedger {

  private record Reservation(String apiKey, BigDecimal amount) {}

  private record KeyDay(String apiKey, LocalDate day) {}

  private final Clock clock;
  private final Map<KeyDay, BigDecimal> spentByDay = new HashMap<>();
  private final Map<String, Reservation> reservations = new HashMap<>();

  public LocalSpendLedger(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized SpendCheck reserve(String requestId, String apiKey, SpendLimit limit, BigDecimal estimate) {
    Instant now = clock.instant();
    BigDecimal committed = spent(apiKey, limit, now);
    BigDecimal reserved = reservations.values().stream().filter(reservation -> reservation.apiKey().equals(apiKey))
        .map(Reservation::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    if (committed.add(reserved).compareTo(limit.amount()) >= 0) {
      return new SpendCheck.CapReached(committed, reserved);
    }
    reservations.put(requestId, new Reservation(apiKey, estimate));
    return new SpendCheck.Reserved();
  }

  @Override
  public synchronized void settle(Usage usage) {
    reservations.remove(usage.requestId());
    spentByDay.merge(new KeyDay(usage.apiKey(), LocalDate.ofInstant(usage.finishedAt(), ZoneOffset.UTC)),
        usage.cost(), BigDecimal::add);
  }

  @Override
  public synchronized void release(String requestId) {
    reservations.remove(requestId);
  }

  /** None: this replica's reservations live and die with it. */
  @Override
  public int releaseAbandonedRuns(Duration age) {
    return 0;
  }

  @Override
  public synchronized BigDecimal spent(String apiKey, SpendLimit limit, Instant at) {
    LocalDate start = limit.periodStart(at);
    return spentByDay.entrySet().stream()
        .filter(entry -> entry.getKey().apiKey().equals(apiKey) && !entry.getKey().day().isBefore(start))
        .map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
