package dev.kiln.runtime.task.tensor;

import dev.kiln.runtime.task.BatchingSettings;
import dev.kiln.runtime.task.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects requests for a model with a batch dimension and runs them together: a batch starts with
 * the oldest waiting request and takes the requests behind it, in order, while they stack with it
 * and fit in {@code maxBatchSize} rows, waiting at most {@code maxDelay} for them to arrive. A
 * request that cannot join goes back to the head of the line for the next batch.
 */
final class DynamicBatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

  private record Pending(InferRequest request, CompletableFuture<Executed> result) {}

  private final SessionRunner runner;
  private final BatchingSettings settings;
  private final LinkedBlockingDeque<Pending> waiting = new LinkedBlockingDeque<>();
  private final Thread worker;
  private final AtomicLong batches = new AtomicLong();

  DynamicBatcher(String modelName, SessionRunner runner, BatchingSettings settings) {
    this.runner = runner;
    this.settings = settings;
    this.worker = Thread.ofVirtual().name("kiln-batcher-" + modelName).start(this::loop);
  }

  Executed submit(InferRequest request) throws InvalidInputException, InterruptedException {
    var pending = new Pending(request, new CompletableFuture<>());
    waiting.add(pending);
    try {
      return pending.result().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InvalidInputException invalid) {
        throw invalid;
      }
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    }
  }

  int queued() {
    return waiting.size();
  }

  /** Batches run so far (a request that had to be retried alone counts as a batch of its own). */
  long batches() {
    return batches.get();
  }

  private void loop() {
    try {
      while (true) {
        run(collect(waiting.take()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Pending> collect(Pending first) throws InterruptedException {
    List<Pending> batch = new ArrayList<>(List.of(first));
    int rows = first.request().rows();
    long deadline = System.nanoTime() + settings.maxDelay().toNanos();
    while (rows < settings.maxBatchSize()) {
      Pending next = waiting.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      if (!stacks(first.request(), next.request()) || rows + next.request().rows() > settings.maxBatchSize()) {
        waiting.addFirst(next);
        break;
      }
      batch.add(next);
      rows += next.request().rows();
    }
    return batch;
  }

  private void run(List<Pending> batch) {
    batches.incrementAndGet();
    try {
      List<Executed> results = runner.run(batch.stream().map(Pending::request).toList());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(results.get(i));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      batch.forEach(pending -> pending.result().completeExceptionally(
          new IllegalStateException("the model was unloaded before this request ran")));
    } catch (InvalidInputException | RuntimeException e) {
      if (batch.size() == 1) {
        batch.getFirst().result().completeExceptionally(e);
        return;
      }
      // One request spoiled the batch: run each alone so only that one fails.
      LOG.debug("batch of {} failed ({}); running its requests one by one", batch.size(), e.getMessage());
      batch.forEach(pending -> run(List.of(pending)));
    }
  }

  private static boolean stacks(InferRequest first, InferRequest next) {
    for (var input : first.inputs().entrySet()) {
      TensorData other = next.inputs().get(input.getKey());
      if (other == null || !input.getValue().stacksWith(other)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    worker.interrupt();
  }
}
