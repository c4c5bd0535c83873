package dev.kiln.gateway.fal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.fal.RequestStatus.Failure;
import dev.kiln.gateway.fal.RequestStatus.State;
import dev.kiln.gateway.queue.LogLine;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RequestStatusTest {

  private static final QueueUrls URLS = new QueueUrls(URI.create("http://127.0.0.1:8443"));
  private static final EndpointId ECHO = new EndpointId("ml", "echo", Optional.of("fast"));

  @Test
  void aQueuedRequestHasItsPositionAndTheThreeUrlsWithoutTheSubPath() {
    var status = new RequestStatus(State.IN_QUEUE, ECHO, "r-1", OptionalInt.of(2), Optional.empty(),
        OptionalDouble.empty(), Optional.empty());

    assertThat(status.httpStatus()).isEqualTo(202);
    assertThat(status.toJson(URLS).toString()).isEqualTo("{\"status\":\"IN_QUEUE\",\"request_id\":\"r-1\","
        + "\"response_url\":\"http://127.0.0.1:8443/ml/echo/requests/r-1\","
        + "\"status_url\":\"http://127.0.0.1:8443/ml/echo/requests/r-1/status\","
        + "\"cancel_url\":\"http://127.0.0.1:8443/ml/echo/requests/r-1/cancel\",\"queue_position\":2,\"metrics\":{}}");
  }

  @Test
  void logsAreNullUnlessAskedAndACompletedRequestHasItsInferenceTime() {
    var running = new RequestStatus(State.IN_PROGRESS, ECHO, "r-1", OptionalInt.empty(), Optional.empty(),
        OptionalDouble.empty(), Optional.empty());
    var done = new RequestStatus(State.COMPLETED, ECHO, "r-1", OptionalInt.empty(),
        Optional.of(List.of(new LogLine("warming", Instant.parse("2026-01-01T00:00:00Z"), Optional.of("INFO")))),
        OptionalDouble.of(3.42), Optional.empty());

    assertThat(running.toJson(URLS).get("logs").isNull()).isTrue();
    assertThat(running.toJson(URLS).has("queue_position")).isFalse();
    assertThat(done.httpStatus()).isEqualTo(200);
    assertThat(done.toJson(URLS).get("logs").toString())
        .isEqualTo("[{\"message\":\"warming\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"level\":\"INFO\"}]");
    assertThat(done.toJson(URLS).get("metrics").toString()).isEqualTo("{\"inference_time\":3.42}");
  }

  @Test
  void aFailedRequestIsCompletedWithItsErrorAndType() {
    var failed = new RequestStatus(State.COMPLETED, ECHO, "r-1", OptionalInt.empty(), Optional.empty(),
        OptionalDouble.empty(), Optional.of(new Failure("the worker went away", "runner_disconnected")));

    assertThat(failed.toJson(URLS).get("error").asText()).isEqualTo("the worker went away");
    assertThat(failed.toJson(URLS).get("error_type").asText()).isEqualTo("runner_disconnected");
  }

  @Test
  void aQueuePositionOutsideTheQueueIsRefused() {
    assertThatThrownBy(() -> new RequestStatus(State.IN_PROGRESS, ECHO, "r-1", OptionalInt.of(0), Optional.empty(),
        OptionalDouble.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void platformErrorsCarryTheirTypeAndRetryAfter() {
    FalException timeout = FalException.platform(504, "request_timeout", "the request did not start within 2.5s");
    FalException limited = FalException.tooManyRequests("rate limit of key k1 exceeded", 3);

    assertThat(FalErrors.body(timeout).toString())
        .isEqualTo("{\"detail\":\"the request did not start within 2.5s\",\"error_type\":\"request_timeout\"}");
    assertThat(FalErrors.headers(timeout)).containsEntry("X-Fal-Error-Type", "request_timeout");
    assertThat(FalErrors.headers(limited)).containsEntry("Retry-After", "3").doesNotContainKey("X-Fal-Error-Type");
  }
}
