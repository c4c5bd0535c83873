package dev.kiln.operator;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** Counts something every 100 ms until closed, e.g. the workers serving a model, keeping the fewest seen. */
public final class ServingSampler implements AutoCloseable {

  private final IntSupplier count;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
  private final AtomicInteger samples = new AtomicInteger();
  private Thread thread;

  private ServingSampler(IntSupplier count) {
    this.count = count;
  }

  public static ServingSampler start(IntSupplier count) {
    ServingSampler sampler = new ServingSampler(count);
    sampler.thread = Thread.ofVirtual().start(sampler::sample);
    return sampler;
  }

  private void sample() {
    while (running.get()) {
      fewest.accumulateAndGet(count.getAsInt(), Math::min);
      samples.incrementAndGet();
      try {
        Thread.sleep(100); // the sampling period, not a wait for anything
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  public int fewest() {
    return fewest.get();
  }

  public int samples() {
    return samples.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join();
  }
}
