package dev.kiln.operator.scaling;

/**
 * One worker's figures for one model, as its runtime's {@code GET /stats} reports them.
 *
 * @param inFlight requests started and not finished, those waiting for a batch or an execution
 *     thread included
 * @param queued requests waiting for a batch (a part of {@code inFlight})
 * @param finished requests finished, completed or failed, since the runtime process started
 * @param busyNanos time spent executing this model's requests since the runtime process started
 */
public record WorkerSignal(int inFlight, int queued, long finished, long busyNanos) {

  public WorkerSignal {
    if (inFlight < 0 || queued < 0 || finished < 0 || busyNanos < 0) {
      throw new IllegalArgumentException("worker signals are never negative");
    }
  }
}
