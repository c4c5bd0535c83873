package dev.kiln.gateway.fal;

import java.net.URI;

/**
 * The URLs a queued request's status object names, pointing back at the gateway's queue listener
 * as the client reached it: fal's Python client follows them verbatim.
 *
 * @param base the queue listener's external base, e.g. {@code https://kiln.example.com:8443}
 */
public record QueueUrls(URI base) {

  public String response(EndpointId endpoint, String requestId) {
    return base.resolve("/" + endpoint.base() + "/requests/" + requestId).toString();
  }

  public String status(EndpointId endpoint, String requestId) {
    return response(endpoint, requestId) + "/status";
  }

  public String cancel(EndpointId endpoint, String requestId) {
    return response(endpoint, requestId) + "/cancel";
  }
}
