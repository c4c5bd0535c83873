package dev.kiln.runtime.server;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads request bodies up to a limit, refusing larger ones before reading them whole. */
final class RequestBodies {

  private final long maxBytes;

  RequestBodies(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The body, or {@code null} when it is larger than the limit. */
  byte[] read(ServerRequest request) {
    if (request.headers().contentLength().orElse(0) > maxBytes) {
      return null;
    }
    if (!request.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = request.content().inputStream()) {
      byte[] body = in.readNBytes(Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)));
      return body.length > maxBytes ? null : body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String tooLargeMessage() {
    return "the request body is larger than this worker's limit of " + maxBytes + " bytes (KILN_MAX_REQUEST_BYTES)";
  }
}
