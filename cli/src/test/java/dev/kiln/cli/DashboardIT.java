package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.crds.worker.WorkerPodMetadata;
import dev.kiln.local.controlplane.MonitoringTools;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Prometheus scrapes a running operator, gateway and runtime worker (the fleet of
 * {@code kiln dev}, serving the real background-removal model under a steady trickle of requests),
 * and every query of the chart's Grafana dashboard returns data: no panel shows a metric that does
 * not exist.
 */
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
  void everyDashboardQueryReturnsData(String panelAndQuery) {
    String query = panelAndQuery.substring(panelAndQuery.indexOf(" :: ") + 4);

    JsonNode result = await(query).atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .until(() -> query(query), answer -> hasFiniteValue(answer.path("data").path("result")));

    assertThat(result.path("status").asText()).isEqualTo("success");
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
