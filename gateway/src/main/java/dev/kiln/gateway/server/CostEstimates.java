package dev.kiln.gateway.server;

import dev.kiln.gateway.routing.ModelKey;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a model's next request is expected to cost, for spend caps: its price times half again the longest compute time
 * among its last {@value #WINDOW} requests here (one second before any was seen). Erring high keeps requests from
 * costing more than they reserved, even when a busy machine slows a few of them down, so a cap is passed by at most
 * about one request's cost.
 */
final class CostEstimates {

  static final int WINDOW = 64;
  private static final double UNSEEN_SECONDS = 1.0;
  private static final BigDecimal HEADROOM = new BigDecimal("1.5");

  private final Map<ModelKey, Deque<Double>> recent = new ConcurrentHashMap<>();

  void observe(ModelKey model, double computeSeconds) {
    Deque<Double> seconds = recent.computeIfAbsent(model, key -> new ArrayDeque<>(WINDOW));
    synchronized (seconds) {
      if (seconds.size() == WINDOW) {
        seconds.removeFirst();
      }
      seconds.addLast(computeSeconds);
    }
  }

  BigDecimal estimate(ModelKey model, BigDecimal pricePerSecond) {
    Deque<Double> seconds = recent.get(model);
    if (seconds == null) {
      return pricePerSecond.multiply(BigDecimal.valueOf(UNSEEN_SECONDS));
    }
    double longest;
    synchronized (seconds) {
      longest = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(UNSEEN_SECONDS);
    }
    return pricePerSecond.multiply(BigDecimal.valueOf(longest)).multiply(HEADROOM);
  }
}
