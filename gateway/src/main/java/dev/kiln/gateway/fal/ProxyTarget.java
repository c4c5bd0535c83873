package dev.kiln.gateway.fal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where a request through the JS client's proxy ({@code x-fal-target-url}) was going: fal's run
 * host ({@code fal.run}) or its queue host ({@code queue.fal.run}), with the path and query to
 * serve here.
 */
public record ProxyTarget(Host host, String path, Optional<String> query) {

  /** The header the JS client puts the original URL in. */
  public static final String HEADER = "x-fal-target-url";

  /** Which of fal's hosts the client addressed. */
  public enum Host {
    RUN,
    QUEUE
  }

  /** Parses the header's value. @throws FalException 400 when it is missing, malformed or not a fal host */
  public static ProxyTarget of(String targetUrl) {
    if (targetUrl == null || targetUrl.isBlank()) {
      throw FalException.badRequest("missing header " + HEADER + ": the proxy serves fal clients configured with "
          + "proxyUrl, which name the fal URL they meant in it");
    }
    URI uri;
    try {
      uri = new URI(targetUrl.trim());
    } catch (URISyntaxException e) {
      throw FalException.badRequest(HEADER + " is not a URL: " + e.getMessage());
    }
    String host = uri.getHost() == null ? "" : uri.getHost();
    Host target = switch (host) {
      case "fal.run" -> Host.RUN;
      case "queue.fal.run" -> Host.QUEUE;
      default -> throw FalException.badRequest(HEADER + " must name https://fal.run/... or https://queue.fal.run/..., got "
          + (host.isEmpty() ? targetUrl : host));
    };
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return new ProxyTarget(target, path, Optional.ofNullable(uri.getRawQuery()));
  }
}
