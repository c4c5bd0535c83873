package dev.kiln.runtime.server;

import dev.kiln.runtime.model.ResidentModels;
import dev.kiln.runtime.onnx.ExecutionProvider;
import io.helidon.webserver.http.HttpRouting;

/** Every route of the runtime beyond health and metrics: inference, the operator's admin API and stats. */
public final class RuntimeRoutes {

  private final InferenceRoutes inference;
  private final AdminRoutes admin;
  private final StatsRoutes stats;

  public RuntimeRoutes(ResidentModels models, ServingState state, ExecutionProvider provider, long maxRequestBytes) {
    var bodies = new RequestBodies(maxRequestBytes);
    this.inference = new InferenceRoutes(models, bodies, state);
    this.admin = new AdminRoutes(models, bodies, state);
    this.stats = new StatsRoutes(models, state, provider);
  }

  public void register(HttpRouting.Builder routing) {
    inference.register(routing);
    admin.register(routing);
    stats.register(routing);
  }
}
