package dev.kiln.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final String EXPOSITION = """
      # HELP jvm_memory_used_bytes The amount of used memory
      # TYPE jvm_memory_used_bytes gauge
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.5E7
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.5E7
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.0E7
      t_seconds_bucket{controller="model",le="0.001"} 2
      t_seconds_bucket{controller="model",le="+Inf"} 5
      process_uptime_seconds 12.5
      """;

  @Test
  void readsNamesLabelsAndValues() {
    PrometheusText metrics = PrometheusText.parse(EXPOSITION);

    assertThat(metrics.samples()).hasSize(6);
    assertThat(metrics.sum("jvm_memory_used_bytes", labels -> "heap".equals(labels.get("area")))).isEqualTo(4.0e7);
    assertThat(metrics.named("t_seconds_bucket", labels -> true))
        .extracting(PrometheusText.Sample::labels, PrometheusText.Sample::value)
        .containsExactly(tuple(Map.of("controller", "model", "le", "0.001"), 2.0),
            tuple(Map.of("controller", "model", "le", "+Inf"), 5.0));
    assertThat(metrics.sum("process_uptime_seconds", labels -> labels.isEmpty())).isEqualTo(12.5);
  }

  @Test
  void unescapesLabelValues() {
    PrometheusText metrics = PrometheusText.parse("m{path=\"a \\\"b\\\" \\\\c\"} 1\n");

    assertThat(metrics.samples().getFirst().labels()).containsEntry("path", "a \"b\" \\c");
  }

  @Test
  void refusesWhatIsNotASample() {
    assertThatThrownBy(() -> PrometheusText.parse("not a sample line at all\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
