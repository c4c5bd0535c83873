package dev.kiln.gateway.server;

import dev.kiln.gateway.fal.QueueUrls;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A call to the fal API as the gateway serves it, whether it came straight to a listener or
 * through the JS client's proxy endpoint.
 *
 * @param path the path on fal's host, e.g. {@code /ml/echo/requests/r-1/status}
 * @param query the query parameters, first value of each
 * @param headers a request header by name, case-insensitive
 * @param urls where the URLs in a status object point: this gateway's queue listener, or fal's
 *     queue host for proxied calls (the JS client sends those back through the proxy)
 */
public record FalCall(String method, String path, Map<String, String> query, Function<String, Optional<String>> headers,
    byte[] body, QueueUrls urls) {

  public Optional<String> header(String name) {
    return headers.apply(name);
  }

  public Optional<String> queryParameter(String name) {
    return Optional.ofNullable(query.get(name));
  }
}
