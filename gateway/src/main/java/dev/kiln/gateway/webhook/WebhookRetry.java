package dev.kiln.gateway.webhook;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a webhook is delivered: up to {@value #ATTEMPTS} attempts while the receiver cannot be
 * reached or answers 5xx or 429, with delays that double and add up to the retry span (with the
 * default span of 2 hours: 14 s, 28 s, ... about 1 hour). Any other answer ends the delivery: a
 * 2xx delivered it, and it is never sent again; a 3xx or another 4xx says the receiver refuses it
 * (redirects are not followed).
 */
public final class WebhookRetry {

  public static final int ATTEMPTS = 10;
  private static final Logger log = LoggerFactory.getLogger(WebhookRetry.class);
  /** The delays between attempts double, so they add up to 2^(ATTEMPTS-1) - 1 times the first. */
  private static final long SPAN_IN_FIRST_DELAYS = (1L << (ATTEMPTS - 1)) - 1;

  private final Duration firstDelay;

  /** @param span how long after the first attempt the last one is made */
  public WebhookRetry(Duration span) {
    if (span.isNegative() || span.isZero()) {
      throw new IllegalArgumentException("KILN_GATEWAY_WEBHOOK_RETRY_SPAN must be more than 0, got " + span);
    }
    this.firstDelay = Duration.ofNanos(Math.max(span.toNanos() / SPAN_IN_FIRST_DELAYS, 1));
  }

  /** The delay after the first failed attempt; each later one doubles it. */
  Duration firstDelay() {
    return firstDelay;
  }

  /** One attempt: sends the webhook and answers with the receiver's status code. */
  @FunctionalInterface
  public interface Attempt {
    int send() throws IOException, InterruptedException;
  }

  /** How a delivery ended. */
  public sealed interface Outcome {
    int attempts();

    /** The receiver accepted it with a 2xx. */
    record Delivered(int status, int attempts) implements Outcome {}

    /** The receiver refused it with a 3xx, or a 4xx other than 429. */
    record Refused(int status, int attempts) implements Outcome {}

    /** Every attempt failed, or the gateway stopped meanwhile. */
    record GaveUp(String lastFailure, int attempts) implements Outcome {}
  }

  /** Delivers with retries, on the calling thread; logs each failed attempt. */
  public Outcome deliver(String requestId, Attempt attempt) {
    AtomicInteger attempts = new AtomicInteger();
    RetryPolicy<Integer> policy = RetryPolicy.<Integer>builder()
        .handle(IOException.class)
        .handleResultIf(WebhookRetry::retryable)
        .withMaxAttempts(ATTEMPTS)
        .withBackoff(firstDelay, firstDelay.multipliedBy(1L << (ATTEMPTS - 2)), 2.0)
        .onFailedAttempt(failed -> log.warn("webhook delivery failed requestId={} attempt={} of={} status={} error={}",
            requestId, failed.getAttemptCount(), ATTEMPTS, failed.getLastResult(),
            failed.getLastException() == null ? "" : failed.getLastException().toString()))
        .build();
    try {
      int status = Failsafe.with(policy).get(() -> {
        attempts.incrementAndGet();
        return attempt.send();
      });
      if (retryable(status)) {
        return new Outcome.GaveUp("status " + status, attempts.get());
      }
      return status >= 300 ? new Outcome.Refused(status, attempts.get()) : new Outcome.Delivered(status, attempts.get());
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new Outcome.GaveUp(String.valueOf(e.getCause()), attempts.get());
    }
  }

  /** Whether a receiver's answer asks for another attempt: 5xx or 429. */
  public static boolean retryable(Integer status) {
    return status != null && (status >= 500 || status == 429);
  }

  /**
   * The wait before the attempt after {@code failedAttempts} failed ones: the first delay, doubled for each failure
   * after the first, spread by up to a fifth either way ({@code jitter} from -1 to 1) so that many webhooks failing
   * at once do not all come back at once.
   */
  public Duration delayAfter(int failedAttempts, double jitter) {
    long base = firstDelay.toNanos() << Math.clamp(failedAttempts - 1, 0, ATTEMPTS - 2);
    return Duration.ofNanos(Math.round(base * (1 + 0.2 * Math.clamp(jitter, -1, 1))));
  }
}
