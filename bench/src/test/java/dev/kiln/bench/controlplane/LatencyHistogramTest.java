package dev.kiln.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  private static LatencyHistogram histogram(String controller, int upTo10ms, int upTo100ms, int all) {
    return LatencyHistogram.of(PrometheusText.parse("""
        t_seconds_bucket{controller="%1$s",le="0.01"} %2$d
        t_seconds_bucket{controller="%1$s",le="0.1"} %3$d
        t_seconds_bucket{controller="%1$s",le="+Inf"} %4$d
        t_seconds_bucket{controller="other",le="0.01"} 1000
        t_seconds_bucket{controller="other",le="+Inf"} 1000
        """.formatted(controller, upTo10ms, upTo100ms, all)), "t_seconds_bucket", Map.of("controller", controller));
  }

  @Test
  void interpolatesWithinTheBucketAQuantileFallsIn() {
    LatencyHistogram latency = histogram("model", 50, 100, 100);

    assertThat(latency.count()).isEqualTo(100);
    assertThat(latency.quantileSeconds(0.25)).isCloseTo(0.005, within(1e-9));
    assertThat(latency.quantileSeconds(0.75)).isCloseTo(0.055, within(1e-9));
  }

  @Test
  void aQuantileInTheOpenBucketIsTheHighestFiniteBound() {
    assertThat(histogram("model", 10, 20, 100).quantileSeconds(0.99)).isEqualTo(0.1);
  }

  @Test
  void histogramsAddAndSubtractBucketByBucket() {
    LatencyHistogram before = histogram("model", 1, 2, 2);
    LatencyHistogram after = histogram("model", 51, 102, 102);

    LatencyHistogram during = after.minus(before);
    assertThat(during.count()).isEqualTo(100);
    assertThat(during.plus(during).quantileSeconds(0.5)).isCloseTo(0.01, within(1e-9));
  }
}
