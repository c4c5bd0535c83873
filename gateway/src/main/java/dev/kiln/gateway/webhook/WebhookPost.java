package dev.kiln.gateway.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * One signed webhook POST: each is signed anew, so its timestamp is current. Redirects are not followed. The URL's host
 * is resolved and checked against the {@link WebhookTargets} before each attempt, so a name that has come to point at
 * an internal address since the request was submitted is not called.
 */
public final class WebhookPost implements AutoCloseable {

  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);

  private final WebhookSigner signer;
  private final WebhookTargets targets;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public WebhookPost(WebhookSigner signer, WebhookTargets targets, Clock clock) {
    this.signer = signer;
    this.targets = targets;
    this.clock = clock;
  }

  /**
   * Sends {@code body} to {@code url}.
   *
   * @param userId the id of the key that submitted the request
   * @return the receiver's status code
   * @throws RefusedWebhookTarget when the URL's host now resolves to an address that is not allowed
   */
  public int send(URI url, String userId, String requestId, byte[] body) throws IOException, InterruptedException {
    if (targets.check(url) instanceof WebhookTargets.Verdict.Refused refused) {
      throw new RefusedWebhookTarget(refused.reason());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(ATTEMPT_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signer.headers(requestId, userId, clock.instant(), body).forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** A webhook URL the gateway will not call: the delivery ends, without retries. */
  public static final class RefusedWebhookTarget extends RuntimeException {
    RefusedWebhookTarget(String reason) {
      super(reason);
    }
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}
