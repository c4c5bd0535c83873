package dev.kiln.gateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.fal.EndpointId;
import dev.kiln.gateway.fal.FalException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI {@code POST /v1/images/generations} request, validated, and the fal text-to-image input
 * it becomes: {@code {"prompt", "num_images", "image_size": {"width", "height"}}}.
 *
 * @param model the Model called, from {@code "model": "<namespace>/<name>"}
 */
record OpenAiImageRequest(EndpointId model, String prompt, int n, int width, int height, ResponseFormat format) {

  static final int MAX_IMAGES = 10;
  static final int MAX_SIDE = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

  /** How the images come back: base64 in {@code b64_json}, or a {@code data:} URL in {@code url}. */
  enum ResponseFormat {
    B64_JSON, URL
  }

  /** @throws OpenAiError 400 naming the field that is missing or wrong */
  static OpenAiImageRequest parse(byte[] body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new OpenAiError(400, "the body is not valid JSON: " + e.getMessage(), Optional.empty(), Optional.empty(),
          Map.of());
    }
    if (json == null || !json.isObject()) {
      throw OpenAiError.invalid("model", "the body must be a JSON object with model and prompt");
    }
    return new OpenAiImageRequest(model(json.path("model")), prompt(json.path("prompt")), n(json.path("n")),
        side(json.path("size"), 1), side(json.path("size"), 2), format(json.path("response_format")));
  }

  /** The input the text-to-image Model gets, fal's shape. */
  ObjectNode falInput() {
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    input.put("prompt", prompt);
    input.put("num_images", n);
    input.putObject("image_size").put("width", width).put("height", height);
    return input;
  }

  private static EndpointId model(JsonNode model) {
    String[] parts = model.isTextual() ? model.asText().split("/", -1) : new String[0];
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw OpenAiError.invalid("model", "model must be a Model's '<namespace>/<name>', got " + model);
    }
    try {
      return EndpointId.of(List.of(parts));
    } catch (FalException e) {
      throw OpenAiError.invalid("model", e.detail());
    }
  }

  private static String prompt(JsonNode prompt) {
    if (!prompt.isTextual() || prompt.asText().isBlank()) {
      throw OpenAiError.invalid("prompt", "prompt must be a non-empty string");
    }
    return prompt.asText();
  }

  private static int n(JsonNode n) {
    if (n.isMissingNode() || n.isNull()) {
      return 1;
    }
    if (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > MAX_IMAGES) {
      throw OpenAiError.invalid("n", "n must be a whole number from 1 to " + MAX_IMAGES + ", got " + n);
    }
    return n.asInt();
  }

  /** {@code size} is {@code WIDTHxHEIGHT}, 1024x1024 when absent; {@code group} 1 is the width, 2 the height. */
  private static int side(JsonNode size, int group) {
    if (size.isMissingNode() || size.isNull()) {
      return 1024;
    }
    Matcher matcher = size.isTextual() ? SIZE.matcher(size.asText()) : null;
    if (matcher == null || !matcher.matches()) {
      throw OpenAiError.invalid("size", "size must be WIDTHxHEIGHT in pixels, e.g. 512x512, got " + size);
    }
    int side = Integer.parseInt(matcher.group(group));
    if (side < 1 || side > MAX_SIDE) {
      throw OpenAiError.invalid("size", "each side of size must be 1 to " + MAX_SIDE + " pixels, got " + size);
    }
    return side;
  }

  private static ResponseFormat format(JsonNode format) {
    if (format.isMissingNode() || format.isNull()) {
      return ResponseFormat.URL;
    }
    return switch (format.asText()) {
      case "b64_json" -> ResponseFormat.B64_JSON;
      case "url" -> ResponseFormat.URL;
      default -> throw OpenAiError.invalid("response_format", "response_format must be b64_json or url, got " + format);
    };
  }
}
