package dev.kiln.gateway.queue;

/** What {@link ModelQueue#offer} did with a request. */
public sealed interface OfferResult {

  /** The request waits in the queue with {@code position} requests ahead of it. */
  record Accepted(int position) implements OfferResult {}

  /**
   * The request was not queued; the server answers 429.
   *
   * @param reason which bound refused it
   * @param waiting how many requests were waiting at the time
   * @param limit the bound that was reached
   */
  record Refused(Reason reason, int waiting, int limit) implements OfferResult {

    /** A message for the 429 body that says what to do. */
    public String message() {
      return switch (reason) {
        case CALLER_LIMIT -> "The queue holds " + waiting + " requests, more than fal_max_queue_length=" + limit
            + " allows; retry later or raise fal_max_queue_length";
        case QUEUE_FULL -> "The model's queue is full (" + limit + " requests waiting); retry later";
      };
    }
  }

  /** Which bound refused a request. */
  enum Reason {
    /** The caller's own {@code fal_max_queue_length}. */
    CALLER_LIMIT,
    /** The gateway's bound on one model's queue. */
    QUEUE_FULL
  }
}
