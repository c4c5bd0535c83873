package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.crds.worker.WorkerPodMetadata;
import dev.kiln.local.controlplane.MonitoringTools;
import io.fabric8.kubernetes.api.model.Pod;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Prometheus scrapes a running operator, gateway and runtime worker (the fleet of
 * {@code kiln dev}, serving the real background-removal model under a steady trickle of requests),
 * and every query of the chart's Grafana dashboard returns data: no panel shows a metric that does
 * not exist. The key panels are then drawn from Prometheus's data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

  private static final Path DASHBOARD = Path.of("..", "helm", "kiln", "files", "dashboards", "kiln.json");
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;
  private static DevFleet fleet;
  private static Process prometheus;
  private static URI prometheusUrl;
  private static ScheduledExecutorService load;
  private static Instant loadStarted;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    DevPaths paths = new DevPaths(work.resolve("dev"));
    Files.createDirectories(paths.run());
    Progress progress = new Progress(System.out);
    fleet = DevFleet.start(new DevFleet.Settings(1, 1, 0, 0), paths, progress);
    String key = DevModel.apply(fleet.admin(), paths);
    DevModel.awaitReady(fleet.admin(), TIMEOUT, progress);
    prometheus = startPrometheus(work.resolve("prometheus"));
    HttpClient gateway = HttpClient.newBuilder().sslContext(fleet.certificates().clientContext()).build();
    byte[] picture = SamplePicture.png();
    load = Executors.newSingleThreadScheduledExecutor();
    loadStarted = Instant.now();
    load.scheduleWithFixedDelay(() -> {
      try {
        gateway.send(HttpRequest.newBuilder(URI.create(fleet.runUrl() + "/kiln/" + DevModel.MODEL))
            .header("Authorization", "Key " + key).header("Content-Type", "image/png")
            .POST(HttpRequest.BodyPublishers.ofByteArray(picture)).build(), HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        // The next one tries again; the queries below wait for data.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, 0, 300, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (load != null) {
      load.shutdownNow();
      load.awaitTermination(30, TimeUnit.SECONDS);
    }
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  static Stream<String> dashboardQueries() throws IOException {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(panel.path("title").asText() + " :: " + target.path("expr").asText());
      }
    }
    return queries.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboardQueries")
  @Order(1)
  void everyDashboardQueryReturnsData(String panelAndQuery) {
    String query = panelAndQuery.substring(panelAndQuery.indexOf(" :: ") + 4);

    JsonNode result = await(query).atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .until(() -> query(query), answer -> hasFiniteValue(answer.path("data").path("result")));

    assertThat(result.path("status").asText()).isEqualTo("success");
  }

  /**
   * The key panels drawn from Prometheus's data over the run, into {@code target/dashboard.png}, and
   * into {@code docs/dashboard.png} with {@code -Dkiln.update-docs=true}.
   */
  @Test
  @Order(2)
  void theKeyPanelsRenderFromPrometheusData() throws Exception {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    await("40 s of throughput").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(
        () -> range(target(dashboard, "Throughput by model (requests/s)", 0).path("expr").asText()),
        series -> series.size() > 0 && series.get(0).path("values").size() >= 40);
    List<PanelImage.Panel> panels = new ArrayList<>();
    panels.add(panel("Latency by model (s)", target(dashboard, "Latency p50 by model (s)", 0),
        target(dashboard, "Latency p99 by model (s)", 0)));
    panels.add(panel("Throughput by model (requests/s)", target(dashboard, "Throughput by model (requests/s)", 0)));
    panels.add(panel("Resident replicas by model", target(dashboard, "Resident replicas by model", 0)));
    panels.add(panel("Cost per model (last hour)", target(dashboard, "Cost per model (last hour)", 0)));

    assertThat(panels).allSatisfy(panel -> assertThat(panel.series()).as(panel.title()).isNotEmpty()
        .allSatisfy(series -> assertThat(series.points()).hasSizeGreaterThan(1)));
    BufferedImage image = PanelImage.draw(panels, 2);
    PanelImage.write(image, Path.of("target", "dashboard.png"));
    if (Boolean.getBoolean("kiln.update-docs")) {
      PanelImage.write(image, Path.of("..", "docs", "dashboard.png"));
    }
  }

  private static JsonNode target(JsonNode dashboard, String title, int index) {
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("title").asText().equals(title)) {
        return panel.path("targets").get(index);
      }
    }
    throw new IllegalArgumentException("no panel " + title + " on the dashboard");
  }

  private static PanelImage.Panel panel(String title, JsonNode... targets) throws Exception {
    List<PanelImage.Series> series = new ArrayList<>();
    for (JsonNode target : targets) {
      for (JsonNode each : range(target.path("expr").asText())) {
        String legend = target.path("legendFormat").asText();
        for (var label : each.path("metric").properties()) {
          legend = legend.replace("{{" + label.getKey() + "}}", label.getValue().asText());
        }
        List<double[]> points = new ArrayList<>();
        for (JsonNode value : each.path("values")) {
          points.add(new double[] {value.get(0).asDouble() - loadStarted.getEpochSecond(),
              Double.parseDouble(value.get(1).asText())});
        }
        series.add(new PanelImage.Series(legend, points));
      }
    }
    return new PanelImage.Panel(title, series);
  }

  /** The series of a range query over the run so far, a point a second. */
  private static JsonNode range(String promql) throws Exception {
    long end = Instant.now().getEpochSecond();
    URI uri = prometheusUrl.resolve("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&start=" + loadStarted.getEpochSecond() + "&end=" + end + "&step=1");
    return JSON.readTree(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body())
        .path("data").path("result");
  }

  private static JsonNode query(String promql) throws Exception {
    URI uri = prometheusUrl.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    return JSON.readTree(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private static boolean hasFiniteValue(JsonNode series) {
    for (JsonNode each : series) {
      double value = Double.parseDouble(each.path("value").get(1).asText());
      if (Double.isFinite(value)) {
        return true;
      }
    }
    return false;
  }

  /** Prometheus scraping the operator, the gateway's ops listener and each worker every second. */
  private static Process startPrometheus(Path directory) throws IOException {
    Files.createDirectories(directory);
    List<String> workers = fleet.admin().pods().inNamespace(DevFleet.NAMESPACE)
        .withLabel(WorkerPodMetadata.MANAGED_BY, WorkerPodMetadata.KILN).list().getItems().stream()
        .map(Pod::getStatus).map(status -> "'" + status.getPodIP() + ":8080'").toList();
    Path config = directory.resolve("prometheus.yml");
    Files.writeString(config, """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        scrape_configs:
          - job_name: kiln-operator
            static_configs: [{targets: ['127.0.0.1:%d']}]
          - job_name: kiln-gateway
            static_configs: [{targets: ['127.0.0.1:%d']}]
          - job_name: kiln-workers
            static_configs: [{targets: [%s], labels: {namespace: %s}}]
        """.formatted(fleet.operator().httpPort(), fleet.gateway().opsPort(), String.join(", ", workers),
        DevFleet.NAMESPACE));
    int port;
    try (ServerSocket free = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    prometheusUrl = URI.create("http://127.0.0.1:" + port);
    return new ProcessBuilder(MonitoringTools.locate().prometheus().toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
  }
}
