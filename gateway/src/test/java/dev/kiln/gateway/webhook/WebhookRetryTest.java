package dev.kiln.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookRetryTest {

  /** Delays of microseconds, so retries take no noticeable time. */
  private final WebhookRetry retry = new WebhookRetry(Duration.ofMillis(5));

  @Test
  void aDeliveryAcceptedAtOnceIsSentOnce() {
    Receiver receiver = new Receiver(List.of(200));

    assertThat(retry.deliver("r-1", receiver)).isEqualTo(new WebhookRetry.Outcome.Delivered(200, 1));
    assertThat(receiver.calls).isEqualTo(1);
  }

  @Test
  void unavailableThrottledAndUnreachableReceiversAreRetriedUntilOneAccepts() {
    Receiver receiver = new Receiver(List.of(503, 429, -1, 500, 204));

    assertThat(retry.deliver("r-2", receiver)).isEqualTo(new WebhookRetry.Outcome.Delivered(204, 5));
    assertThat(receiver.calls).isEqualTo(5);
  }

  @Test
  void aReceiverThatRefusesWithA4xxOrRedirectsIsNotAskedAgain() {
    Receiver refusing = new Receiver(List.of(503, 404, 200));
    Receiver redirecting = new Receiver(List.of(302, 200));

    assertThat(retry.deliver("r-3", refusing)).isEqualTo(new WebhookRetry.Outcome.Refused(404, 2));
    assertThat(refusing.calls).isEqualTo(2);
    assertThat(retry.deliver("r-3", redirecting)).isEqualTo(new WebhookRetry.Outcome.Refused(302, 1));
    assertThat(redirecting.calls).isEqualTo(1);
  }

  @Test
  void aDeliveryIsGivenUpAfterTenFailedAttempts() {
    Receiver failing = new Receiver(List.of(502, 502, 502, 502, 502, 502, 502, 502, 502, 502, 200));
    Receiver unreachable = new Receiver(List.of(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 200));

    assertThat(retry.deliver("r-4", failing)).isEqualTo(new WebhookRetry.Outcome.GaveUp("status 502", 10));
    assertThat(failing.calls).isEqualTo(WebhookRetry.ATTEMPTS);
    assertThat(retry.deliver("r-5", unreachable)).isInstanceOf(WebhookRetry.Outcome.GaveUp.class);
    assertThat(unreachable.calls).isEqualTo(WebhookRetry.ATTEMPTS);
  }

  @Test
  void theDoublingDelaysAddUpToTheRetrySpan() {
    Duration first = new WebhookRetry(Duration.ofHours(2)).firstDelay();

    long total = 0;
    for (int attempt = 1; attempt < WebhookRetry.ATTEMPTS; attempt++) {
      total += first.toMillis() << (attempt - 1);
    }
    assertThat(first.toSeconds()).isEqualTo(14);
    assertThat((double) total).isCloseTo(Duration.ofHours(2).toMillis(), within(1000.0));
  }

  /** Answers with the scripted status codes in turn; -1 is a refused connection. */
  private static final class Receiver implements WebhookRetry.Attempt {
    private final Deque<Integer> answers;
    private int calls;

    private Receiver(List<Integer> answers) {
      this.answers = new ArrayDeque<>(answers);
    }

    @Override
    public int send() throws IOException {
      calls++;
      int answer = answers.removeFirst();
      if (answer < 0) {
        throw new ConnectException("Connection refused");
      }
      return answer;
    }
  }
}
