package dev.kiln.gateway.queue;

import java.util.Objects;

/** The model's output as the result endpoint returns it: its status code, content type and body. */
public record RequestResult(int statusCode, String contentType, StoredBody body) {

  public RequestResult {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }
}
