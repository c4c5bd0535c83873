package dev.kiln.bench.gateway;

import java.net.URI;
import java.util.Map;

/**
 * One way to reach the zero-work model: its name in the report and the URL the request goes to.
 * Every candidate gets the same request: {@link #BODY} with {@link #headers}.
 */
public record Candidate(String name, URI url) {

  /** The model's input; every candidate answers {@code {"input": <this>, "service_time_ms": 0}}. */
  public static final String BODY = "{\"prompt\":\"gateway overhead\"}";

  /**
   * The headers every candidate is sent: the gateway needs the API key, the others ignore it, and it
   * goes to all of them so that the requests are the same size.
   */
  public static Map<String, String> headers(String apiKey) {
    return Map.of("Content-Type", "application/json", "Authorization", "Key " + apiKey);
  }
}
