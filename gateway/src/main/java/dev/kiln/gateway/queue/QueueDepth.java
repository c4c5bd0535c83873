package dev.kiln.gateway.queue;

/** How many requests wait in each lane of a model's queue: the number the operator's autoscaler reads. */
public record QueueDepth(int normal, int low) {

  public static final QueueDepth EMPTY = new QueueDepth(0, 0);

  public int total() {
    return normal + low;
  }
}
