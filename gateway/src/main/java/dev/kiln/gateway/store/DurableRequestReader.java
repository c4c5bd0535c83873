package dev.kiln.gateway.store;

import dev.kiln.gateway.queue.Lookup;
import dev.kiln.gateway.queue.RequestReader;
import java.time.Duration;

/**
 * Reads requests from the {@link DurableQueue}. A status stream waits for a change by reading the request again every
 * {@code pollEvery}: the change may come from any replica.
 */
public final class DurableRequestReader implements RequestReader {

  private final DurableQueue queue;
  private final Duration pollEvery;

  public DurableRequestReader(DurableQueue queue, Duration pollEvery) {
    this.queue = queue;
    this.pollEvery = pollEvery;
  }

  @Override
  public Lookup lookup(String requestId) {
    return queue.lookup(requestId);
  }

  @Override
  public Lookup awaitChange(String requestId, long afterVersion, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Lookup lookup = queue.lookup(requestId);
      long remaining = deadline - System.nanoTime();
      if (!(lookup instanceof Lookup.Found found) || found.request().version() != afterVersion || remaining <= 0) {
        return lookup;
      }
      Thread.sleep(Math.min(pollEvery.toMillis(), Math.max(1, remaining / 1_000_000)));
    }
  }
}
