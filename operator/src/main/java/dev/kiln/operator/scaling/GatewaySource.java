package dev.kiln.operator.scaling;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Where the autoscaler learns of the requests that wait at the gateways, before any worker sees them. */
public interface GatewaySource {

  /** No gateway: the workers' signals are all there is. */
  GatewaySource NONE = at -> new Reading(Map.of(), Map.of());

  /**
   * A Ready gateway.
   *
   * @param name its pod, as {@code namespace/name}
   * @param address the base address of its run listener
   */
  record ServingGateway(String name, URI address) {}

  /** A model as gateways name it. */
  record ModelRef(String namespace, String name) {}

  /**
   * What every gateway said at one reading.
   *
   * @param answered each gateway that answered, by name, with its figures for each model it lists
   * @param unread why each gateway that could not be read was not, by name
   */
  record Reading(Map<String, Map<ModelRef, GatewaySignal>> answered, Map<String, String> unread) {

    public Reading {
      answered = Map.copyOf(answered);
      unread = Map.copyOf(unread);
    }

    /**
     * Each answering gateway's figures for {@code model}: none yet from a gateway that does not list
     * it, so that its first requests there count as arrivals.
     */
    public Map<String, GatewaySignal> of(String namespace, String model) {
      var ref = new ModelRef(namespace, model);
      var signals = new HashMap<String, GatewaySignal>();
      answered.forEach((gateway, models) -> signals.put(gateway,
          Objects.requireNonNullElse(models.get(ref), GatewaySignal.IDLE)));
      return signals;
    }
  }

  /** Reads every gateway once. */
  Reading read(Instant at);
}
