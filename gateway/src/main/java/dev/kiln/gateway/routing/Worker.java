package dev.kiln.gateway.routing;

import java.net.URI;
import java.util.Objects;

/**
 * A worker pod that can take requests: its name (what {@code X-Fal-Runner-Hint} names), its uid
 * (a replacement pod of the same name is a different worker) and its pod IP.
 */
public record Worker(String name, String uid, String ip) {

  /** The port the runtime serves on in every worker pod. */
  public static final int RUNTIME_PORT = 8080;

  public Worker {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(ip, "ip");
  }

  /** Where the runtime on this worker runs {@code model}: {@code POST http://ip:8080/models/{model}/run}. */
  public URI runUri(String model) {
    return uri("/models/" + model + "/run");
  }

  /** Where the runtime on this worker serves KServe v2 for {@code model}: {@code /v2/models/{model}[/{operation}]}. */
  public URI kserveUri(String model, String operation) {
    return uri("/v2/models/" + model + (operation.isEmpty() ? "" : "/" + operation));
  }

  /** Where the runtime cancels the run its caller named {@code requestId}. */
  public URI cancelUri(String requestId) {
    return uri("/requests/" + requestId + "/cancel");
  }

  private URI uri(String path) {
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return URI.create("http://" + host + ":" + RUNTIME_PORT + path);
  }
}
