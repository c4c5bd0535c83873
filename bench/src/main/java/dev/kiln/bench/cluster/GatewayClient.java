package dev.kiln.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Requests to a model through the gateway, as a fal client sends them: a run, or a queued request. */
public final class GatewayClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration RETRY = Duration.ofMillis(50);

  private final BenchFleet fleet;
  private final String apiKey;
  private final HttpClient http;

  public GatewayClient(BenchFleet fleet, String apiKey) {
    this.fleet = fleet;
    this.apiKey = apiKey;
    this.http = HttpClient.newBuilder().sslContext(fleet.fleet().certificates().clientContext())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A run ({@code POST} on the run port), answered when the model has. */
  public HttpResponse<byte[]> run(String model, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return http.send(request(URI.create(fleet.fleet().runUrl() + path(model)))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * Sends the run again until it is answered 200, for as long as the gateway does not know the model
   * yet or has no replica of it ready; returns the answer.
   *
   * @throws TimeoutException after {@code timeout}, with the last answer
   */
  public HttpResponse<byte[]> runUntilAnswered(String model, String contentType, byte[] body, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      HttpResponse<byte[]> answer = run(model, contentType, body);
      if (answer.statusCode() == 200) {
        return answer;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(model + " did not answer 200 within " + timeout.toSeconds() + " s; last: "
            + answer.statusCode() + " " + new String(answer.body()));
      }
      Thread.sleep(RETRY);
    }
  }

  /**
   * A queued request: submitted on the queue port, its status polled until it is COMPLETED, then its
   * result fetched; true when the result came back.
   */
  public boolean queued(String model, String json, Duration poll) throws IOException, InterruptedException {
    HttpResponse<String> submitted = http.send(request(URI.create(fleet.fleet().queueUrl() + path(model)))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (submitted.statusCode() / 100 != 2) {
      return false;
    }
    JsonNode request = JSON.readTree(submitted.body());
    URI status = URI.create(request.path("status_url").asText());
    long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> now = http.send(request(status).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (now.statusCode() / 100 == 2 && JSON.readTree(now.body()).path("status").asText().equals("COMPLETED")) {
        HttpResponse<String> result = http.send(request(URI.create(request.path("response_url").asText())).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
        return result.statusCode() == 200;
      }
      Thread.sleep(poll);
    }
    return false;
  }

  private static String path(String model) {
    return "/" + BenchFleet.NAMESPACE + "/" + model;
  }

  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Authorization", "Key " + apiKey);
  }
}
