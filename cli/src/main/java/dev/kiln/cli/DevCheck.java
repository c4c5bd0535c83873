package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * {@code kiln dev --check}: real requests through the gateway, as a user would send them, with
 * their results and the usage metered for them. Any step that does not give what it should throws,
 * saying what came back.
 */
final class DevCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Duration POLL = Duration.ofMillis(100);

  private final DevFleet fleet;
  private final String key;
  private final Progress progress;
  private final HttpClient http;

  DevCheck(DevFleet fleet, String key, Progress progress) {
    this.fleet = fleet;
    this.key = key;
    this.progress = progress;
    this.http = HttpClient.newBuilder().sslContext(fleet.certificates().clientContext())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  void run() throws Exception {
    byte[] picture = SamplePicture.png();
    String endpoint = "/" + DevFleet.NAMESPACE + "/" + DevModel.MODEL;
    progress.step("run: POST " + fleet.runUrl() + endpoint + " with a PNG", () -> {
      HttpResponse<byte[]> answer = http.send(request(URI.create(fleet.runUrl() + endpoint))
          .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(picture)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      require(answer.statusCode() == 200, "the run answered " + answer.statusCode() + ": " + new String(answer.body()));
      progress.detail("200 " + answer.headers().firstValue("Content-Type").orElse("?") + ", " + checked(answer.body()));
    });
    progress.step("queue: submit to " + fleet.queueUrl() + endpoint + ", poll, fetch the result", () -> {
      String body = JsonNodeFactory.instance.objectNode()
          .put("image_url", "data:image/png;base64," + Base64.getEncoder().encodeToString(picture)).toString();
      JsonNode submitted = json(http.send(request(URI.create(fleet.queueUrl() + endpoint))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()));
      progress.detail("request " + submitted.path("request_id").asText() + " " + submitted.path("status").asText());
      JsonNode status = awaitCompleted(URI.create(submitted.path("status_url").asText()));
      require(status.path("error").isMissingNode() || status.path("error").isNull(),
          "the request failed: " + status);
      progress.detail(String.format(Locale.ROOT, "COMPLETED, inference_time %.3f s",
          status.path("metrics").path("inference_time").asDouble()));
      JsonNode result = json(http.send(request(URI.create(submitted.path("response_url").asText())).GET().build(),
          HttpResponse.BodyHandlers.ofString()));
      String url = result.path("image").path("url").asText();
      require(url.startsWith("data:image/png;base64,"), "the result has no PNG data URI in image.url: " + result);
      progress.detail(checked(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
    });
    progress.step("usage metered by the gateway", () -> {
      MeterRegistry metrics = fleet.gateway().metrics();
      double requests = sum(metrics, "kiln.gateway.requests");
      double seconds = sum(metrics, "kiln.gateway.compute");
      double cost = sum(metrics, "kiln.gateway.cost");
      require(seconds > 0, "no compute seconds were metered for " + DevModel.MODEL);
      progress.detail(String.format(Locale.ROOT, "%.0f requests, %.3f compute-seconds, cost %.6f", requests, seconds,
          cost));
    });
  }

  private JsonNode awaitCompleted(URI statusUrl) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      JsonNode status = json(http.send(request(statusUrl).GET().build(), HttpResponse.BodyHandlers.ofString()));
      if (status.path("status").asText().equals("COMPLETED")) {
        return status;
      }
      require(System.nanoTime() < deadline, "not COMPLETED after " + TIMEOUT.toSeconds() + " s: " + status);
      Thread.sleep(POLL);
    }
  }

  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Key " + key);
  }

  private static String checked(byte[] png) throws IOException {
    CutOut cutOut = CutOut.of(png);
    require(cutOut.backgroundRemoved(), "the background was not removed: " + cutOut);
    return cutOut + ": background removed";
  }

  private static JsonNode json(HttpResponse<String> answer) throws IOException {
    require(answer.statusCode() / 100 == 2, answer.uri() + " answered " + answer.statusCode() + ": " + answer.body());
    return JSON.readTree(answer.body());
  }

  private static double sum(MeterRegistry metrics, String name) {
    return metrics.find(name).tag("model", DevModel.MODEL).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static void require(boolean condition, String otherwise) {
    if (!condition) {
      throw new IllegalStateException(otherwise);
    }
  }
}
