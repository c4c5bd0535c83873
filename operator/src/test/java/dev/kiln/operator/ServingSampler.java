package dev.kiln.operator;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** Counts something every 100 ms until closed, e.g. the workers serving a model, keeping the fewest seen. */
public final class ServingSampler implements AutoCloseable {

  private final IntSupplier count;
  private final AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
  private final AtomicInteger samples = new AtomicInteger();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  private ServingSampler(IntSupplier count) {
    this.count = count;
  }

  public static ServingSampler start(IntSupplier count) {
    ServingSampler sampler = new ServingSampler(count);
    sampler.timer.scheduleAtFixedRate(sampler::sample, 0, 100, TimeUnit.MILLISECONDS);
    return sampler;
  }

  private void sample() {
    try {
      fewest.accumulateAndGet(count.getAsInt(), Math::min);
      samples.incrementAndGet();
    } catch (RuntimeException e) {
      // One unreadable sample (say, the API server busy) is skipped; a thrown one would end the sampling.
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
    timer.shutdown();
    if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a sample took more than 10 s");
    }
  }
}
