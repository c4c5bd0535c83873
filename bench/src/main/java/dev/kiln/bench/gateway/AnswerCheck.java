package dev.kiln.bench.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Checks that a candidate answers the request as the zero-work model does, before it is measured:
 * 200 and {@code {"input": <the body>, "service_time_ms": 0}}. Retried until {@code timeout}, since
 * the gateway learns of a new replica a moment after the Model says it is ready.
 */
final class AnswerCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RETRY = Duration.ofMillis(250);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, String> headers;

  AnswerCheck(Map<String, String> headers) {
    this.headers = headers;
  }

  void verify(Candidate candidate, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last;
    do {
      HttpRequest.Builder request = HttpRequest.newBuilder(candidate.url()).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString(Candidate.BODY));
      headers.forEach(request::header);
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && isEcho(response.body())) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(RETRY);
    } while (System.nanoTime() < deadline);
    throw new IOException(candidate.name() + " at " + candidate.url() + " does not answer as the zero-work model: "
        + last);
  }

  static boolean isEcho(String body) throws IOException {
    JsonNode answer = JSON.readTree(body);
    return answer.path("input").equals(JSON.readTree(Candidate.BODY)) && answer.path("service_time_ms").asInt(-1) == 0;
  }
}
