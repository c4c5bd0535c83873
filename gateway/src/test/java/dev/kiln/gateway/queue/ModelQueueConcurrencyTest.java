package dev.kiln.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many virtual threads offering, cancelling and taking at once: every request ends exactly one way. */
class ModelQueueConcurrencyTest {

  private static final int PRODUCERS = 8;
  private static final int PER_PRODUCER = 500;

  @Test
  void everyRequestIsTakenOrCancelledExactlyOnce() throws Exception {
    ModelQueue queue = new ModelQueue(PRODUCERS * PER_PRODUCER, Clock.systemUTC());
    Set<String> taken = ConcurrentHashMap.newKeySet();
    Set<String> cancelled = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger producersLeft = new AtomicInteger(PRODUCERS);

    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> work = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        work.add(threads.submit(() -> {
          for (int i = 0; i < PER_PRODUCER; i++) {
            String id = producer + "-" + i;
            queue.offer(QueuedRequest.withoutDeadline(id, i % 3 == 0 ? Lane.LOW : Lane.NORMAL), OptionalInt.empty());
            if (i % 5 == 0 && queue.cancel(id) && !cancelled.add(id)) {
              duplicates.incrementAndGet();
            }
          }
          producersLeft.decrementAndGet();
        }));
      }
      for (int c = 0; c < 4; c++) {
        work.add(threads.submit(() -> {
          while (producersLeft.get() > 0 || queue.depth().total() > 0) {
            Optional<QueuedRequest> next = queue.take(Duration.ofMillis(50)).next();
            if (next.isPresent() && !taken.add(next.get().requestId())) {
              duplicates.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> future : work) {
        future.get(60, TimeUnit.SECONDS);
      }
    }

    assertThat(duplicates).hasValue(0);
    assertThat(taken).doesNotContainAnyElementsOf(cancelled);
    assertThat(taken.size() + cancelled.size()).isEqualTo(PRODUCERS * PER_PRODUCER);
  }
}
