package dev.kiln.gateway.server;

import dev.kiln.gateway.routing.ModelKey;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a model's next request is expected to cost, for spend caps: its price times its recent compute seconds (a
 * moving average that follows each change within a few requests), or times one second before any was seen.
 */
final class CostEstimates {

  private static final double WEIGHT_OF_LATEST = 0.3;
  private static final double UNSEEN_SECONDS = 1.0;

  private final Map<ModelKey, Double> seconds = new ConcurrentHashMap<>();

  void observe(ModelKey model, double computeSeconds) {
    seconds.merge(model, computeSeconds,
        (average, latest) -> average + WEIGHT_OF_LATEST * (latest - average));
  }

  BigDecimal estimate(ModelKey model, BigDecimal pricePerSecond) {
    return pricePerSecond.multiply(BigDecimal.valueOf(seconds.getOrDefault(model, UNSEEN_SECONDS)));
  }
}
