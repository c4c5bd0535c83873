package dev.kiln.runtime.task.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.runtime.task.InvalidInputException;
import dev.kiln.runtime.task.Invocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The image of one request and the form the answer takes. A raw {@code image/png} or
 * {@code image/jpeg} body is answered with PNG bytes; an {@code application/json} body
 * {@code {"image_url": "data:image/png;base64,..."}} is answered with JSON that holds the PNG as a
 * data URI.
 *
 * @param image the encoded image, not yet checked to be PNG or JPEG
 * @param answerJson whether the request came as JSON and wants a JSON answer
 */
record ImageRequest(byte[] image, boolean answerJson) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static ImageRequest of(Invocation invocation) throws InvalidInputException {
    String mediaType = invocation.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (mediaType) {
      case "image/png", "image/jpeg" -> new ImageRequest(invocation.body(), false);
      case "application/json" -> new ImageRequest(DataUri.decode(imageUrl(invocation.body())), true);
      default -> throw new InvalidInputException("unsupported_media_type", "Content-Type " + mediaType
          + " is not accepted: POST the image's bytes as image/png or image/jpeg, or JSON as application/json");
    };
  }

  private static String imageUrl(byte[] body) throws InvalidInputException {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed_json", "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode url = json == null ? null : json.get("image_url");
    if (url == null || !url.isTextual() || url.asText().isEmpty()) {
      throw new InvalidInputException("missing_image", "the JSON body needs \"image_url\": a string such as "
          + "\"data:image/png;base64,...\" (or \"data:image/jpeg;base64,...\")");
    }
    return url.asText();
  }
}
