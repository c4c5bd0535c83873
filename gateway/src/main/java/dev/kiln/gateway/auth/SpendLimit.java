package dev.kiln.gateway.auth;

import dev.kiln.crds.apikey.CapPeriod;
import dev.kiln.crds.apikey.SpendCap;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * A key's spend cap ({@code spec.spendCap}): the most it may spend in a UTC day or month.
 *
 * @param amount in the pools' currency
 */
public record SpendLimit(BigDecimal amount, CapPeriod period) {

  public SpendLimit {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(period, "period");
  }

  /** The cap of {@code spec}; empty when it has none. */
  public static Optional<SpendLimit> of(SpendCap spec) {
    if (spec == null || spec.getAmount() == null) {
      return Optional.empty();
    }
    return Optional.of(new SpendLimit(new BigDecimal(spec.getAmount()),
        spec.getPeriod() == null ? CapPeriod.MONTH : spec.getPeriod()));
  }

  /** The first day of the period {@code at} falls in. */
  public LocalDate periodStart(Instant at) {
    return periodStart(period, at);
  }

  /** The first day of the UTC day or month {@code at} falls in. */
  public static LocalDate periodStart(CapPeriod period, Instant at) {
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    return period == CapPeriod.DAY ? day : day.withDayOfMonth(1);
  }
}
