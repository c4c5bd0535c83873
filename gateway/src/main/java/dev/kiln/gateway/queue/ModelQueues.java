package dev.kiln.gateway.queue;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link ModelQueue} per model, created on first use. A model's queue lives on while it has no resident replica:
 * its depth is what the operator's autoscaler reads to bring one up.
 */
public final class ModelQueues {

  private final int capacityPerModel;
  private final Clock clock;
  private final ConcurrentHashMap<String, ModelQueue> queues = new ConcurrentHashMap<>();

  /**
   * @param capacityPerModel the most requests that may wait for one model
   * @param clock the time start deadlines are checked against
   */
  public ModelQueues(int capacityPerModel, Clock clock) {
    if (capacityPerModel < 1) {
      throw new IllegalArgumentException("The queue capacity per model must be at least 1, got " + capacityPerModel);
    }
    this.capacityPerModel = capacityPerModel;
    this.clock = clock;
  }

  /** The queue of {@code model}, created empty when it has none yet. */
  public ModelQueue forModel(String model) {
    return queues.computeIfAbsent(model, name -> new ModelQueue(capacityPerModel, clock));
  }

  /** Each known model's queue depth, by model name, for the stats endpoint. */
  public Map<String, QueueDepth> depths() {
    Map<String, QueueDepth> depths = new TreeMap<>();
    queues.forEach((model, queue) -> depths.put(model, queue.depth()));
    return depths;
  }
}
