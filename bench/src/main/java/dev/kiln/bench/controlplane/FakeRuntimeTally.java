package dev.kiln.bench.controlplane;

import java.util.concurrent.atomic.AtomicLong;

/** What the fake runtimes of one round were asked to do: loads of a model (or version) not held, and unloads of one held. */
final class FakeRuntimeTally {

  private final AtomicLong loads = new AtomicLong();
  private final AtomicLong unloads = new AtomicLong();

  void loaded() {
    loads.incrementAndGet();
  }

  void unloaded() {
    unloads.incrementAndGet();
  }

  long loads() {
    return loads.get();
  }

  long unloads() {
    return unloads.get();
  }
}
