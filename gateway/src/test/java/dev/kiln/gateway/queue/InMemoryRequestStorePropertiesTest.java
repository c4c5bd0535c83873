package dev.kiln.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store's invariants after every step of a seeded random sequence of submissions, starts, completions with bodies of
 * random sizes, failures, cancellations and clock moves. A failure names its seed.
 */
class InMemoryRequestStorePropertiesTest {

  private static final Duration RETENTION = Duration.ofSeconds(60);
  private static final long SPILL_THRESHOLD = 4_000;
  private static final long MEMORY_BUDGET = 10_000;

  @TempDir
  Path spillDirectory;

  static LongStream seeds() {
    return LongStream.range(1, 51);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keepsBodiesWithinBudgetIntactAndForgetsExactlyAfterRetention(long seed) throws Exception {
    Random random = new Random(seed);
    ManualClock clock = new ManualClock();
    Path directory = Files.createDirectory(spillDirectory.resolve("seed-" + seed));
    Map<String, Expected> expected = new HashMap<>();
    List<String> ids = new ArrayList<>();

    try (InMemoryRequestStore store = new InMemoryRequestStore(
        new RequestStoreSettings(RETENTION, SPILL_THRESHOLD, MEMORY_BUDGET, directory, 10_000), clock)) {
      for (int step = 0; step < 300; step++) {
        int action = random.nextInt(10);
        if (action < 3 || ids.isEmpty()) {
          String id = "r" + ids.size();
          store.create(id, "m");
          ids.add(id);
          expected.put(id, new Expected());
        } else if (action < 8) {
          String id = ids.get(random.nextInt(ids.size()));
          Expected request = expected.get(id);
          if (request.expired || request.state == RequestState.COMPLETED) {
            continue;
          }
          if (action == 7) {
            assertThat(store.requestCancel(id)).isEqualTo(CancelOutcome.CANCELLATION_REQUESTED);
            store.fail(id, RequestError.cancelled(), Optional.empty());
            request.finish(clock.instant(), null);
          } else if (request.state == RequestState.IN_QUEUE) {
            store.markStarted(id);
            request.state = RequestState.IN_PROGRESS;
          } else {
            byte[] body = new byte[random.nextInt(random.nextBoolean() ? 3_000 : 8_000)];
            random.nextBytes(body);
            store.complete(id, 200, "application/octet-stream", body.clone(), Duration.ofMillis(5));
            request.finish(clock.instant(), body);
          }
        } else if (action == 8) {
          clock.advance(Duration.ofSeconds(random.nextInt(40)));
        } else {
          store.expireDue();
        }
        expected.values().forEach(request -> request.expireAt(clock.instant()));

        long inMemory = 0;
        int spilled = 0;
        for (String id : ids) {
          Expected request = expected.get(id);
          Lookup lookup = store.lookup(id);
          if (request.expired) {
            assertThat(lookup).as("seed %d step %d %s", seed, step, id).isEqualTo(new Lookup.Expired(id));
            continue;
          }
          RequestRecord found = ((Lookup.Found) lookup).request();
          assertThat(found.state()).as("seed %d step %d %s", seed, step, id).isEqualTo(request.state);
          if (request.body != null) {
            StoredBody body = found.result().orElseThrow().body();
            assertThat(body.bytes()).as("seed %d step %d body of %s", seed, step, id).isEqualTo(request.body);
            if (body.spilled()) {
              spilled++;
            } else {
              assertThat(body.size()).isLessThanOrEqualTo(SPILL_THRESHOLD);
              inMemory += body.size();
            }
          }
        }
        assertThat(store.bytesInMemory()).as("seed %d step %d bytes in memory", seed, step)
            .isEqualTo(inMemory).isLessThanOrEqualTo(MEMORY_BUDGET);
        assertThat(filesIn(directory)).as("seed %d step %d spill files", seed, step).isEqualTo(spilled);
      }
    }
    assertThat(filesIn(directory)).as("seed %d: spill files after close", seed).isZero();
  }

  private static long filesIn(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.count();
    }
  }

  /** What the store should say about one request. */
  private static final class Expected {
    private RequestState state = RequestState.IN_QUEUE;
    private Instant finishedAt;
    private byte[] body;
    private boolean expired;

    void finish(Instant at, byte[] result) {
      state = RequestState.COMPLETED;
      finishedAt = at;
      body = result;
    }

    void expireAt(Instant now) {
      if (finishedAt != null && !now.isBefore(finishedAt.plus(RETENTION))) {
        expired = true;
      }
    }
  }
}
