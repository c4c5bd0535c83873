package dev.kiln.runtime.server;

import java.util.HashMap;
import java.util.Map;

/**
 * The inferences running now that their caller named ({@code X-Kiln-Request-Id}), so the caller
 * can cancel one: its thread is interrupted, which stops it while it waits for an execution
 * thread or a batch (and a synthetic model's sleep); a native run already under way finishes and
 * its answer is dropped.
 */
final class RunningRequests {

  private final Map<String, Registration> running = new HashMap<>();

  /** One registered request; closing it forgets it and clears a cancel that came too late to matter. */
  final class Registration implements AutoCloseable {

    private final String id;
    private final Thread thread = Thread.currentThread();
    private boolean cancelled;

    private Registration(String id) {
      this.id = id;
    }

    boolean cancelled() {
      synchronized (RunningRequests.this) {
        return cancelled;
      }
    }

    @Override
    public void close() {
      synchronized (RunningRequests.this) {
        running.remove(id, this);
        // A cancel between the end of the work and now must not break the answer being sent.
        Thread.interrupted();
      }
    }
  }

  /** Registers the calling thread as running request {@code id}. */
  synchronized Registration register(String id) {
    Registration registration = new Registration(id);
    running.put(id, registration);
    return registration;
  }

  /** Interrupts request {@code id}; false when no such request is running. */
  synchronized boolean cancel(String id) {
    Registration registration = running.get(id);
    if (registration == null) {
      return false;
    }
    registration.cancelled = true;
    registration.thread.interrupt();
    return true;
  }
}
