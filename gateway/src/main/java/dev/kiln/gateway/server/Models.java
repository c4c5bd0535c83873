package dev.kiln.gateway.server;

import dev.kiln.gateway.fal.EndpointId;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.gateway.routing.RoutableModel;
import java.util.Optional;
import java.util.function.Function;

/** The Models the gateway knows, from the routing table: a request for any other is 404. */
final class Models {

  private final Function<ModelKey, Optional<RoutableModel>> routes;

  Models(Function<ModelKey, Optional<RoutableModel>> routes) {
    this.routes = routes;
  }

  /** @throws FalException 404 when no Model {@code owner/app} exists */
  void require(EndpointId endpoint) {
    if (routes.apply(new ModelKey(endpoint.owner(), endpoint.app())).isEmpty()) {
      throw FalException.notFound("No Model " + endpoint.app() + " in namespace " + endpoint.owner()
          + ": kubectl get models -n " + endpoint.owner() + " lists the ones there are");
    }
  }
}
