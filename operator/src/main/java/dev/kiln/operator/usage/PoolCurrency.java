package dev.kiln.operator.usage;

import java.util.Objects;

/** The key of cost: a pool and the currency its price was in while the cost accrued. */
public record PoolCurrency(PoolRef pool, String currency) {

  public PoolCurrency {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(currency, "currency");
  }
}
