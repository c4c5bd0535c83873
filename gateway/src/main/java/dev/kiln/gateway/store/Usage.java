package dev.kiln.gateway.store;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/** What one completed request cost its key: a usage row. */
public record Usage(String requestId, String apiKey, String model, Duration computeTime, BigDecimal pricePerSecond,
    Instant finishedAt) {

  public BigDecimal computeSeconds() {
    return BigDecimal.valueOf(computeTime.toNanos(), 9);
  }

  public BigDecimal cost() {
    return computeSeconds().multiply(pricePerSecond);
  }
}
