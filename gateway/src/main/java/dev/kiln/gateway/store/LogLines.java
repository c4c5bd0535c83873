package dev.kiln.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kiln.gateway.queue.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A request's log lines as the {@code logs} column holds them: a JSON array. */
final class LogLines {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LogLines() {}

  static String toJson(List<LogLine> lines) {
    ArrayNode array = JSON.createArrayNode();
    for (LogLine line : lines) {
      var node = array.addObject().put("message", line.message()).put("timestamp", line.timestamp().toString());
      line.level().ifPresent(level -> node.put("level", level));
    }
    return array.toString();
  }

  static List<LogLine> fromJson(String json) {
    try {
      List<LogLine> lines = new ArrayList<>();
      for (JsonNode node : JSON.readTree(json)) {
        lines.add(new LogLine(node.path("message").asText(), Instant.parse(node.path("timestamp").asText()),
            Optional.ofNullable(node.get("level")).map(JsonNode::asText)));
      }
      return lines;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the logs column holds no JSON array: " + e.getMessage(), e);
    }
  }
}
