package dev.kiln.gateway.webhook;

import dev.kiln.gateway.queue.RequestError;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestResult;
import dev.kiln.gateway.queue.RequestState;
import dev.kiln.gateway.queue.StoredBody;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Completed request records, as the store holds them, for the webhook tests. */
final class Completed {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private Completed() {}

  static RequestRecord withResult(String requestId, int status, String contentType, String body) {
    return record(requestId, Optional.of(new RequestResult(status, contentType, new Body(
        body.getBytes(StandardCharsets.UTF_8)))), Optional.empty());
  }

  static RequestRecord withError(String requestId, RequestError error) {
    return record(requestId, Optional.empty(), Optional.of(error));
  }

  private static RequestRecord record(String requestId, Optional<RequestResult> result, Optional<RequestError> error) {
    return new RequestRecord(requestId, "ml/echo", RequestState.COMPLETED, AT, Optional.of(AT), Optional.of(AT),
        List.of(), Optional.of(Duration.ofMillis(5)), result, error, false, 3);
  }

  private record Body(byte[] bytes) implements StoredBody {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public boolean spilled() {
      return false;
    }
  }
}
