package dev.kiln.gateway.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the database small: a queued request's large outputs go to the {@link ResultObjects}, and callers get URLs the
 * gateway serves ({@code /-/results/{key}} on the queue listener), as fal's CDN URLs. In a JSON output every base64
 * data URI longer than the inline limit (the images of fal-style File objects) is stored as an object and replaced by a
 * reference, which {@link #link} turns into a URL on the host the caller used; any other output longer than the limit
 * is stored whole.
 */
public final class ResultFiles {

  /** How a reference to a stored object reads in a result kept in the database. */
  static final String REFERENCE = "kiln-result:";
  public static final String PATH = "/-/results/";
  private static final Pattern DATA_URI = Pattern.compile("^data:([\\w.+-]+/[\\w.+-]+)(?:;[^,]*)?;base64,",
      Pattern.CASE_INSENSITIVE);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ResultObjects objects;
  private final int inlineLimit;

  /** @param inlineLimit the largest output, or data URI in a JSON output, kept in the database */
  public ResultFiles(ResultObjects objects, int inlineLimit) {
    this.objects = objects;
    this.inlineLimit = inlineLimit;
  }

  /** Stores the large parts of {@code requestId}'s output. */
  public StoredResult store(String requestId, String contentType, byte[] body) {
    if (body.length <= inlineLimit) {
      return new StoredResult(body, Optional.empty(), List.of());
    }
    if (contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      Optional<StoredResult> extracted = extractDataUris(requestId, body);
      if (extracted.isPresent()) {
        return extracted.get();
      }
    }
    String key = requestId + "/output";
    objects.put(key, body, contentType);
    return new StoredResult(new byte[0], Optional.of(key), List.of(key));
  }

  /** The output stored whole under {@code key}. */
  public byte[] wholeOutput(String key) {
    return objects.get(key).orElseThrow(() -> new IllegalStateException("the result object " + key + " is missing from "
        + objects.describe())).bytes();
  }

  /** {@code body} with each reference to a stored object turned into its URL under {@code queueBase}. */
  public static byte[] link(byte[] body, URI queueBase) {
    if (!new String(body, StandardCharsets.UTF_8).contains(REFERENCE)) {
      return body;
    }
    try {
      JsonNode tree = JSON.readTree(body);
      String base = queueBase.resolve(PATH).toString();
      return JSON.writeValueAsBytes(rewrite(tree, text -> text.startsWith(REFERENCE)
          ? base + text.substring(REFERENCE.length()) : null));
    } catch (IOException e) {
      return body;
    }
  }

  /** The object a {@code /-/results/} URL path names. */
  public Optional<StoredObject> object(String key) {
    return objects.get(key);
  }

  /** Deletes the objects of a request whose retention ended. */
  public void delete(List<String> keys) {
    keys.forEach(objects::delete);
  }

  private Optional<StoredResult> extractDataUris(String requestId, byte[] body) {
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (IOException e) {
      return Optional.empty();
    }
    List<String> keys = new ArrayList<>();
    JsonNode rewritten = rewrite(tree, text -> {
      Matcher dataUri = DATA_URI.matcher(text);
      if (text.length() <= inlineLimit || !dataUri.lookingAt()) {
        return null;
      }
      String key = requestId + "/" + keys.size();
      objects.put(key, Base64.getMimeDecoder().decode(text.substring(dataUri.end())), dataUri.group(1));
      keys.add(key);
      return REFERENCE + key;
    });
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new StoredResult(JSON.writeValueAsBytes(rewritten), Optional.empty(), keys));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a result back as JSON", e);
    }
  }

  /** {@code node} with each string {@code replacement} answers for replaced; null keeps it. */
  private static JsonNode rewrite(JsonNode node, UnaryOperator<String> replacement) {
    if (node.isTextual()) {
      String replaced = replacement.apply(node.asText());
      return replaced == null ? node : TextNode.valueOf(replaced);
    }
    if (node instanceof ObjectNode object) {
      object.properties().forEach(field -> field.setValue(rewrite(field.getValue(), replacement)));
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, rewrite(array.get(i), replacement));
      }
    }
    return node;
  }
}
