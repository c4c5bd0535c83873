package dev.kiln.operator.scaling;

/**
 * One gateway's figures for one model, as its {@code GET /stats} reports them.
 *
 * @param inFlight requests the gateway runs on the model's workers now (the workers count them too)
 * @param queued requests waiting at the gateway for a worker with room, or for a first replica
 * @param arrived requests submitted since the gateway process started
 */
public record GatewaySignal(int inFlight, int queued, long arrived) {

  public static final GatewaySignal IDLE = new GatewaySignal(0, 0, 0);

  public GatewaySignal {
    if (inFlight < 0 || queued < 0 || arrived < 0) {
      throw new IllegalArgumentException("gateway signals are never negative");
    }
  }
}
