package dev.kiln.gateway.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/** One signed webhook POST: each is signed anew, so its timestamp is current. Redirects are not followed. */
public final class WebhookPost implements AutoCloseable {

  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);

  private final WebhookSigner signer;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public WebhookPost(WebhookSigner signer, Clock clock) {
    this.signer = signer;
    this.clock = clock;
  }

  /**
   * Sends {@code body} to {@code url}.
   *
   * @param userId the id of the key that submitted the request
   * @return the receiver's status code
   */
  public int send(URI url, String userId, String requestId, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(ATTEMPT_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signer.headers(requestId, userId, clock.instant(), body).forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}
