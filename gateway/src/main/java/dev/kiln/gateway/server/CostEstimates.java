package dev.kiln.gateway.server;

import dev.kiln.gateway.routing.ModelKey;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a model's next request is expected to cost, for spend caps: its price times the longest compute time among its
 * last {@value #WINDOW} requests here (one second before any was seen). Erring high keeps a cap from being passed by
 * requests that cost more than they reserved: it is passed by at most about one request's cost.
 */
final class CostEstimates {

  static final int WINDOW = 64;
  private static final double UNSEEN_SECONDS = 1.0;

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
    double longest = UNSEEN_SECONDS;
    if (seconds != null) {
      synchronized (seconds) {
        longest = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(UNSEEN_SECONDS);
      }
    }
    return pricePerSecond.multiply(BigDecimal.valueOf(longest));
  }
}
