package dev.kiln.gateway.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * One key's spend and requests so far in the current UTC day and month.
 *
 * @param lastUsed when its last request this month completed
 */
public record KeySpend(BigDecimal today, BigDecimal thisMonth, long requestsToday, long requestsThisMonth,
    Optional<Instant> lastUsed) {

  public static final KeySpend NONE = new KeySpend(BigDecimal.ZERO, BigDecimal.ZERO, 0, 0, Optional.empty());
}
