package dev.kiln.gateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A text-to-image Model's answer as OpenAI's images response: fal's
 * {@code {"images": [{"url": "data:image/png;base64,..."}]}} becomes
 * {@code {"created", "data": [{"b64_json": ...}]}} or {@code [{"url": ...}]}; a model error becomes
 * an {@link OpenAiError} with the model's status.
 */
final class OpenAiImageResponse {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiImageResponse() {}

  /**
   * @param status the model's status code
   * @param body the model's answer
   * @throws OpenAiError the model's error, or 502 when its answer is not fal's text-to-image output */
  static ObjectNode of(int status, byte[] body, OpenAiImageRequest.ResponseFormat format, Instant created) {
    if (status != 200) {
      throw modelError(status, body);
    }
    JsonNode images = read(body).map(output -> output.path("images")).filter(JsonNode::isArray)
        .orElseThrow(() -> badAnswer("it has no images array"));
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    response.put("created", created.getEpochSecond());
    ArrayNode data = response.putArray("data");
    for (JsonNode image : images) {
      String url = image.path("url").asText("");
      switch (format) {
        case URL -> data.addObject().put("url", url);
        case B64_JSON -> data.addObject().put("b64_json", base64Of(url));
      }
    }
    return response;
  }

  /** The base64 data of a {@code data:...;base64,} URL. */
  private static String base64Of(String url) {
    int comma = url.indexOf(',');
    if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
      throw badAnswer("an image is not a base64 data: URL, so it cannot be returned as b64_json: ask for "
          + "response_format url");
    }
    return url.substring(comma + 1);
  }

  /** The model's message ({@code error} or {@code detail}) and code, or its body as text. */
  private static OpenAiError modelError(int status, byte[] body) {
    Optional<JsonNode> json = read(body).filter(JsonNode::isObject);
    String message = json.map(error -> error.has("error") ? error.get("error") : error.get("detail"))
        .map(text -> text.isTextual() ? text.asText() : text.toString())
        .orElse(new String(body, StandardCharsets.UTF_8));
    Optional<String> code = json.map(error -> error.path("code")).filter(JsonNode::isTextual).map(JsonNode::asText);
    return new OpenAiError(status, message, Optional.empty(), code, Map.of());
  }

  private static OpenAiError badAnswer(String why) {
    return new OpenAiError(502, "the text-to-image model's answer is not fal's text-to-image output: " + why,
        Optional.empty(), Optional.of("bad_model_output"), Map.of());
  }

  private static Optional<JsonNode> read(byte[] body) {
    try {
      return Optional.ofNullable(JSON.readTree(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
