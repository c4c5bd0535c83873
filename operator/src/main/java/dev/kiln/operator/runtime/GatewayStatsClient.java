package dev.kiln.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's reader of a gateway's {@code GET /stats} on its run listener: each model's
 * requests waiting and running there, the autoscaler's signal of demand a worker cannot show yet.
 */
public final class GatewayStatsClient {

  /** The port of the gateway's ops listener in a gateway pod that names none (the gateway's default). */
  public static final int DEFAULT_PORT = 8082;

  private final JsonHttp http;
  private final Duration timeout;

  public GatewayStatsClient(Duration timeout) {
    this.http = new JsonHttp(timeout);
    this.timeout = timeout;
  }

  /** The base address of the ops listener of the gateway in a pod with IP {@code podIp}. */
  public static URI gateway(String podIp, int port) {
    return JsonHttp.address(podIp, port);
  }

  /** Each model's demand at the gateway; an answer that does not parse is refused. */
  public List<GatewayDemand> stats(URI gateway) throws WorkerAdminException {
    JsonNode answer = http.get(gateway.resolve("/stats"), timeout);
    if (!answer.path("models").isArray()) {
      throw JsonHttp.unparsableStats("no list of models");
    }
    var demand = new ArrayList<GatewayDemand>();
    for (JsonNode model : answer.path("models")) {
      demand.add(GatewayDemand.from(model));
    }
    return demand;
  }
}
