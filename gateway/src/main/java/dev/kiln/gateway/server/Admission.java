package dev.kiln.gateway.server;

import java.time.Duration;

/**
 * Whether the gateway takes new work, and how many calls it is serving. Once draining it refuses
 * new runs and submissions (with 503, so clients retry on another replica) while calls in flight,
 * and reads of requests it accepted, are still served.
 */
public final class Admission {

  private boolean draining;
  private int inFlight;

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

  /** Admits one call that brings new work, unless draining. */
  public synchronized boolean tryEnter() {
    if (draining) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** Counts a call that must be served even while draining (a status read, a cancel). */
  public synchronized void enter() {
    inFlight++;
  }

  public synchronized void exit() {
    inFlight--;
    notifyAll();
  }

  /** Waits until no call is in flight or {@code timeout} passes; true when idle. */
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
