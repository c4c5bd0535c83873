package dev.kiln.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationsServerTest {

  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final HttpClient http = HttpClient.newHttpClient();
  private OperationsServer server;

  @BeforeEach
  void start() throws Exception {
    server = OperationsServer.start(0, healthy::get, ready::get, () -> "# TYPE kiln_up gauge\nkiln_up 1.0\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void servesTheMetricsAsPrometheusText() throws Exception {
    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(OperationsServer.PROMETHEUS_TEXT);
    assertThat(response.body()).isEqualTo("# TYPE kiln_up gauge\nkiln_up 1.0\n");
  }

  @Test
  void probesAnswer200WhilePassingAnd503Otherwise() throws Exception {
    assertThat(send("GET", "/healthz")).extracting(HttpResponse::statusCode, HttpResponse::body).containsExactly(200, "ok");
    assertThat(send("GET", "/readyz")).extracting(HttpResponse::statusCode, HttpResponse::body)
        .containsExactly(503, "unavailable");

    healthy.set(false);
    ready.set(true);

    assertThat(send("GET", "/healthz").statusCode()).isEqualTo(503);
    assertThat(send("GET", "/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void answersHeadWithoutABody() throws Exception {
    HttpResponse<String> response = send("HEAD", "/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void refusesOtherMethodsAndPaths() throws Exception {
    HttpResponse<String> post = send("POST", "/healthz");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send("GET", "/metrics/extra").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
