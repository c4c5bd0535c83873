package dev.kiln.runtime.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A request's log lines as the {@code X-Kiln-Logs} header carries them to the gateway, which
 * shows them in the request's status ({@code logs}): a JSON array of {@code {"message", "level",
 * "timestamp"}} on one line.
 */
final class RequestLogs {

  private RequestLogs() {}

  /** One INFO line, stamped now. */
  static String of(String message) {
    ArrayNode lines = JsonResponses.MAPPER.createArrayNode();
    lines.addObject().put("message", message).put("level", "INFO").put("timestamp", Instant.now().toString());
    try {
      return JsonResponses.MAPPER.writeValueAsString(lines);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
