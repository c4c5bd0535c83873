package dev.kiln.runtime.server;

import java.time.Duration;

/**
 * Whether the runtime takes work, and how much it has in flight. Once draining it refuses new
 * requests, and shutdown waits for the ones in flight.
 */
public final class ServingState {

  private boolean ready;
  private boolean draining;
  private int inFlight;

  public synchronized void markReady() {
    ready = true;
  }

  public synchronized boolean isReady() {
    return ready && !draining;
  }

  public synchronized boolean isDraining() {
    return draining;
  }

  public synchronized int inFlight() {
    return inFlight;
  }

  /** Stops taking new work; readiness turns false at once. */
  public synchronized void startDraining() {
    draining = true;
    notifyAll();
  }

  /** Admits one request, unless draining. */
  public synchronized boolean tryEnter() {
    if (draining) {
      return false;
    }
    inFlight++;
    return true;
  }

  public synchronized void exit() {
    inFlight--;
    notifyAll();
  }

  /** Waits until nothing is in flight or {@code timeout} passes; true when idle. */
  public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight > 0) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      wait(Math.max(1, remaining / 1_000_000));
    }
    return true;
  }
}
