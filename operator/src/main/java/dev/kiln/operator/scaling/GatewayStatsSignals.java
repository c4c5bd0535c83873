package dev.kiln.operator.scaling;

import dev.kiln.operator.runtime.GatewayDemand;
import dev.kiln.operator.runtime.GatewayStatsClient;
import dev.kiln.operator.runtime.WorkerAdminException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Demand from each Ready gateway's {@code GET /stats}, read at once on virtual threads. Gateways
 * that cannot be listed or read are unread, with the reason.
 */
public final class GatewayStatsSignals implements GatewaySource {

  /** The unread entry when the gateways themselves could not be found. */
  static final String LISTING = "(listing)";

  private final Supplier<List<ServingGateway>> gateways;
  private final GatewayStatsClient client;

  /** @param gateways the Ready gateways now, e.g. listed from the API server; may throw when it cannot tell */
  public GatewayStatsSignals(Supplier<List<ServingGateway>> gateways, GatewayStatsClient client) {
    this.gateways = gateways;
    this.client = client;
  }

  @Override
  public Reading read(Instant at) {
    List<ServingGateway> serving;
    try {
      serving = gateways.get();
    } catch (RuntimeException e) {
      return new Reading(Map.of(), Map.of(LISTING, "gateway pods not listed: " + e.getMessage()));
    }
    var answered = new HashMap<String, Map<ModelRef, GatewaySignal>>();
    var unread = new HashMap<String, String>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var answers = new HashMap<ServingGateway, Future<List<GatewayDemand>>>();
      serving.forEach(gateway -> answers.put(gateway, executor.submit(() -> client.stats(gateway.address()))));
      answers.forEach((gateway, answer) -> {
        try {
          var models = new HashMap<ModelRef, GatewaySignal>();
          answer.get().forEach(demand -> models.put(new ModelRef(demand.namespace(), demand.name()),
              new GatewaySignal(demand.inFlight(), demand.queued(), demand.arrived())));
          answered.put(gateway.name(), models);
        } catch (ExecutionException e) {
          unread.put(gateway.name(),
              e.getCause() instanceof WorkerAdminException failure ? failure.getMessage() : e.getCause().toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          unread.put(gateway.name(), "interrupted");
        }
      });
    }
    return new Reading(answered, unread);
  }
}
