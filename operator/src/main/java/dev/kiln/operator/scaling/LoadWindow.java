package dev.kiln.operator.scaling;

import java.time.Duration;
import java.util.List;

/**
 * The load of a model over the points of one window.
 *
 * <p>Its concurrency is the larger of two estimates of Little's law: the mean of the in-flight
 * requests sampled (which counts time spent queueing) and arrival rate × mean service time, i.e.
 * busy seconds per second (which sees short requests that fall between samples).
 */
record LoadWindow(List<SeriesPoint> points) {

  LoadWindow {
    points = List.copyOf(points);
  }

  boolean isEmpty() {
    return points.isEmpty();
  }

  double concurrency() {
    double meanInFlight = points.stream().mapToInt(SeriesPoint::inFlight).average().orElse(0);
    return Math.max(meanInFlight, busyRate());
  }

  /** Requests finished per second between the window's first and last points; 0 with fewer than two. */
  double requestRate() {
    return perSecond(points.stream().skip(1).mapToLong(SeriesPoint::finishedIncrease).sum());
  }

  /** Requests waiting at the last point, on the workers and at the gateways. */
  long queueDepth() {
    return points.isEmpty() ? 0 : points.getLast().queued();
  }

  private double busyRate() {
    return perSecond(points.stream().skip(1).mapToLong(SeriesPoint::busyNanosIncrease).sum() / 1e9);
  }

  /** The increases of every point but the first happened between the first and the last. */
  private double perSecond(double increase) {
    if (points.size() < 2) {
      return 0;
    }
    Duration span = Duration.between(points.getFirst().at(), points.getLast().at());
    return increase / (span.toNanos() / 1e9);
  }
}
