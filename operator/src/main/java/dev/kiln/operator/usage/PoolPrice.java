package dev.kiln.operator.usage;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A pool's price of one allocated GPU-second, from {@code GpuPoolSpec.pricePerGpuSecond} and
 * {@code currency}.
 */
public record PoolPrice(BigDecimal pricePerGpuSecond, String currency) {

  public PoolPrice {
    Objects.requireNonNull(pricePerGpuSecond, "pricePerGpuSecond");
    Objects.requireNonNull(currency, "currency");
    if (pricePerGpuSecond.signum() < 0) {
      throw new IllegalArgumentException("pricePerGpuSecond must be >= 0: " + pricePerGpuSecond);
    }
  }

  /** From the spec's fields, unset ones taking the CRD's defaults ("0", "USD"). */
  public static PoolPrice of(String pricePerGpuSecond, String currency) {
    return new PoolPrice(
        new BigDecimal(pricePerGpuSecond == null ? "0" : pricePerGpuSecond),
        currency == null ? "USD" : currency);
  }
}
