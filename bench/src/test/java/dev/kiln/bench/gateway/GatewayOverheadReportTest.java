package dev.kiln.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.bench.report.BenchResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway-overhead figures from made-up rounds, and the parts of the benchmark that need no process. */
class GatewayOverheadReportTest {

  private static final String DIRECT = GatewayOverheadReport.DIRECT;
  private static final String GATEWAY = GatewayOverheadReport.GATEWAY;
  private static final String NGINX = GatewayOverheadReport.NGINX;
  private static final String RAY = GatewayOverheadReport.RAY;

  @Test
  void addedLatencyIsTheDifferenceWithinEachRoundAndThroughputTheRatio() {
    GatewayOverheadReport report = report(List.of(
        round(Map.of(DIRECT, 100.0, GATEWAY, 300.0, NGINX, 150.0, RAY, 1100.0),
            Map.of(DIRECT, 10_000.0, GATEWAY, 5_000.0, NGINX, 8_000.0, RAY, 250.0)),
        round(Map.of(DIRECT, 200.0, GATEWAY, 420.0, NGINX, 260.0, RAY, 1300.0),
            Map.of(DIRECT, 9_000.0, GATEWAY, 4_800.0, NGINX, 8_000.0, RAY, 200.0)),
        round(Map.of(DIRECT, 120.0, GATEWAY, 330.0, NGINX, 170.0, RAY, 1000.0),
            Map.of(DIRECT, 11_000.0, GATEWAY, 5_200.0, NGINX, 8_000.0, RAY, 240.0))));

    assertThat(report.addedMicros(GATEWAY, 50, LoadSummary::p50Micros)).isEqualTo(210);
    assertThat(report.addedMicros(NGINX, 50, LoadSummary::p50Micros)).isEqualTo(50);
    assertThat(report.addedOverNginx(GATEWAY, 50, LoadSummary::p50Micros)).isEqualTo(4.2);
    assertThat(report.addedOverNginx(GATEWAY, 50, LoadSummary::p99Micros)).isEqualTo(4.2);
    assertThat(report.latencyOverDirect(GATEWAY, 50, LoadSummary::p50Micros)).isCloseTo(2.75, within(1e-9));
    assertThat(report.throughputOver(GATEWAY, NGINX)).isEqualTo(0.625);
    assertThat(report.throughputOver(RAY, NGINX)).isEqualTo(0.03);
    assertThat(report.errors(GATEWAY)).isZero();

    BenchResult result = report.result("bench/gateway-overhead.sh", "2026-11-25T00:00:00Z");
    assertThat(result.name()).isEqualTo("1-gateway-overhead");
    assertThat(result.tables().getFirst().rows()).hasSize(3)
        .anySatisfy(row -> assertThat(row).containsSequence("50/s", GATEWAY, "2.75×").contains("4.20×"));
    assertThat(result.tables().get(1).rows()).hasSize(4)
        .anySatisfy(row -> assertThat(row).containsSequence(GATEWAY, "0.63×"));
    assertThat(result.charts()).hasSize(3);
    assertThat(result.findings().getFirst()).contains("adds 210 µs at p50", "4.20×");
  }

  @Test
  void withoutNginxTheRatiosAreToTheDirectCall() {
    GatewayOverheadReport report = new GatewayOverheadReport(List.of(DIRECT, GATEWAY), List.of(50.0),
        List.of(round(Map.of(DIRECT, 100.0, GATEWAY, 300.0), Map.of(DIRECT, 10_000.0, GATEWAY, 5_000.0))), "setup",
        List.of("nginx was not measured"));

    BenchResult result = report.result("bench/gateway-overhead.sh --smoke", "2026-11-25T00:00:00Z");

    assertThat(report.addedOverNginx(GATEWAY, 50, LoadSummary::p50Micros)).isNaN();
    assertThat(result.tables().getFirst().rows().getFirst()).endsWith("n/a", "n/a");
    assertThat(result.tables().get(1).title()).endsWith("relative to " + DIRECT);
    assertThat(result.charts()).hasSize(2);
    assertThat(result.findings()).contains("nginx was not measured");
  }

  @Test
  void wrkOutputGivesTheRateAndEveryKindOfError() {
    WrkSaturation.Result result = WrkSaturation.parse("""
        Running 5s test @ http://127.0.0.1:18765/models/noop/run
          1 threads and 16 connections
          1215 requests in 5.01s, 285.95KB read
          Socket errors: connect 0, read 2, write 0, timeout 1
          Non-2xx or 3xx responses: 4
        Requests/sec:    242.53
        Transfer/sec:     57.08KB
        """);

    assertThat(result).isEqualTo(new WrkSaturation.Result(242.53, 1215, 7));
  }

  @Test
  void fixedRatesAreFractionsOfTheSlowestToTwoSignificantFigures() {
    assertThat(GatewayOverheadBench.ratesBelow(240)).containsExactly(48.0, 84.0, 120.0);
    assertThat(GatewayOverheadBench.ratesBelow(4)).containsExactly(1.0, 1.4, 2.0);
  }

  @Test
  void onlyTheEchoOfTheRequestCountsAsTheModelsAnswer() throws Exception {
    assertThat(AnswerCheck.isEcho("{\"input\":{\"prompt\":\"gateway overhead\"},\"service_time_ms\":0}")).isTrue();
    assertThat(AnswerCheck.isEcho("{\"input\":{},\"service_time_ms\":0}")).isFalse();
    assertThat(AnswerCheck.isEcho("{\"input\":{\"prompt\":\"gateway overhead\"},\"service_time_ms\":5}")).isFalse();
  }

  @Test
  void nginxProxiesOverKeepAliveConnectionsWithoutAnAccessLog(@TempDir Path nginx) {
    String config = NginxProxy.config("127.1.0.2:8080", 18080, 2, nginx);

    assertThat(config).contains("worker_processes 2;", "access_log off;", "server 127.1.0.2:8080;", "keepalive 256;",
        "listen 127.0.0.1:18080;", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";");
  }

  private static GatewayOverheadReport report(List<Round> rounds) {
    return new GatewayOverheadReport(List.of(DIRECT, GATEWAY, NGINX, RAY), List.of(50.0), rounds, "setup", List.of());
  }

  /** A round at 50/s where p99 is twice p50. */
  private static Round round(Map<String, Double> p50Micros, Map<String, Double> requestsPerSecond) {
    Round round = new Round();
    p50Micros.forEach((candidate, p50) -> round.fixed(candidate, 50,
        new LoadSummary(500, 0, p50, 2 * p50)));
    requestsPerSecond.forEach((candidate, rate) -> round.saturation(candidate,
        new WrkSaturation.Result(rate, Math.round(rate * 10), 0)));
    return round;
  }
}
