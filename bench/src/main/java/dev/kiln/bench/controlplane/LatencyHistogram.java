package dev.kiln.bench.controlplane;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A latency distribution from a Prometheus histogram's cumulative buckets (upper bound in seconds to
 * the count at or below it), with quantiles interpolated within a bucket the way PromQL's
 * {@code histogram_quantile} does. Histograms of several runs add up bucket by bucket.
 */
final class LatencyHistogram {

  private final NavigableMap<Double, Double> cumulative;

  private LatencyHistogram(NavigableMap<Double, Double> cumulative) {
    this.cumulative = cumulative;
  }

  static LatencyHistogram empty() {
    return new LatencyHistogram(new TreeMap<>());
  }

  /** The {@code <timer>_seconds_bucket} samples of {@code metrics} whose labels include {@code labels}. */
  static LatencyHistogram of(PrometheusText metrics, String bucketName, Map<String, String> labels) {
    NavigableMap<Double, Double> buckets = new TreeMap<>();
    metrics.named(bucketName, sample -> sample.entrySet().containsAll(labels.entrySet()))
        .forEach(sample -> buckets.merge(bound(sample.labels().get("le")), sample.value(), Double::sum));
    return new LatencyHistogram(buckets);
  }

  LatencyHistogram plus(LatencyHistogram other) {
    NavigableMap<Double, Double> sum = new TreeMap<>(cumulative);
    other.cumulative.forEach((bound, count) -> sum.merge(bound, count, Double::sum));
    return new LatencyHistogram(sum);
  }

  /** The observations of this one not in {@code earlier}, a scrape of the same histogram before it. */
  LatencyHistogram minus(LatencyHistogram earlier) {
    NavigableMap<Double, Double> difference = new TreeMap<>(cumulative);
    earlier.cumulative.forEach((bound, count) -> difference.merge(bound, -count, Double::sum));
    return new LatencyHistogram(difference);
  }

  /** How many observations it holds. */
  long count() {
    return cumulative.isEmpty() ? 0 : Math.round(cumulative.lastEntry().getValue());
  }

  /**
   * The {@code q}-quantile (0 to 1) in seconds: linear within the bucket it falls in, from the
   * bucket below's bound (0 for the first). One in the open-ended bucket is the highest finite bound.
   */
  double quantileSeconds(double q) {
    if (count() == 0) {
      throw new IllegalStateException("no observations");
    }
    double rank = q * cumulative.lastEntry().getValue();
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return lowerBound;
        }
        double inBucket = bucket.getValue() - lowerCount;
        return inBucket == 0 ? bucket.getKey()
            : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = bucket.getKey();
      lowerCount = bucket.getValue();
    }
    return lowerBound;
  }

  private static double bound(String le) {
    return "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }
}
