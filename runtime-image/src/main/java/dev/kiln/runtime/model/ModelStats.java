package dev.kiln.runtime.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cumulative counters of one model name, kept across its versions and reloads so that they only
 * grow: requests in flight, completed and failed, and busy time in whole nanoseconds, the exact sum
 * of what each response reported.
 */
public final class ModelStats {

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong busyNanos = new AtomicLong();

  void started() {
    inFlight.incrementAndGet();
  }

  void completed(long requestBusyNanos) {
    busyNanos.addAndGet(requestBusyNanos);
    completed.incrementAndGet();
    inFlight.decrementAndGet();
  }

  void failedOne() {
    failed.incrementAndGet();
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public long completed() {
    return completed.get();
  }

  public long failed() {
    return failed.get();
  }

  public long busyNanos() {
    return busyNanos.get();
  }

  public double busySeconds() {
    return busyNanos.get() / 1e9;
  }
}
