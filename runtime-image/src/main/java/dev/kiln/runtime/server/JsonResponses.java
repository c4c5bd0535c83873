package dev.kiln.runtime.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;

/**
 * JSON bodies of the runtime's answers. Errors are {@code {"error": "<what is wrong and what to
 * do>", "code": "<stable word>"}}: KServe v2 clients read {@code error}, programs match on {@code code}.
 */
public final class JsonResponses {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonResponses() {}

  public static void send(ServerResponse response, Status status, JsonNode body) {
    try {
      response.status(status).header(HeaderNames.CONTENT_TYPE, "application/json").send(MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void error(ServerResponse response, Status status, String code, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("error", message);
    body.put("code", code);
    send(response, status, body);
  }
}
