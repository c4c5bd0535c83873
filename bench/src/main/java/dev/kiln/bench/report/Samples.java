package dev.kiln.bench.report;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Medians and percentiles of repeated measurements, and how the report prints them. */
public final class Samples {

  private Samples() {}

  public static double median(Collection<? extends Number> values) {
    return percentile(values, 50);
  }

  /** The nearest-rank percentile; {@code p} from 0 to 100. */
  public static double percentile(Collection<? extends Number> values, double p) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
    if (p == 50 && sorted.size() % 2 == 0) {
      int middle = sorted.size() / 2;
      return (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
  }

  /** A ratio as the report prints it: {@code 1.23×}. */
  public static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f×", value);
  }

  /** {@code min–max} of the values, as ratios, to show the spread behind a median. */
  public static String range(Collection<? extends Number> values) {
    double min = values.stream().mapToDouble(Number::doubleValue).min().orElseThrow();
    double max = values.stream().mapToDouble(Number::doubleValue).max().orElseThrow();
    return String.format(Locale.ROOT, "%.2f–%.2f", min, max);
  }
}
