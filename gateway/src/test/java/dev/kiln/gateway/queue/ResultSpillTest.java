package dev.kiln.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result bodies above the spill threshold, or beyond the memory budget, live in files of the spill directory. */
class ResultSpillTest {

  private static final Duration RETENTION = Duration.ofMinutes(10);

  @TempDir
  Path spillDirectory;

  private final ManualClock clock = new ManualClock();
  private InMemoryRequestStore store;

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void aLargeBodyIsOnDiskReadsBackByteIdenticalAndIsDeletedAfterRetention() throws Exception {
    store = store(1_000, 1_000_000);
    byte[] large = randomBytes(50_000);

    completeWith("big", large);

    StoredBody body = result("big");
    assertThat(body.spilled()).isTrue();
    assertThat(body.size()).isEqualTo(large.length);
    assertThat(store.bytesInMemory()).isZero();
    assertThat(spillFiles()).hasSize(1);
    assertThat(Files.size(spillFiles()[0])).isEqualTo(large.length);
    assertThat(body.bytes()).isEqualTo(large);

    clock.advance(RETENTION);
    assertThat(store.expireDue()).isEqualTo(1);

    assertThat(spillFiles()).isEmpty();
  }

  @Test
  void aSmallBodyStaysInMemory() throws Exception {
    store = store(1_000, 1_000_000);

    completeWith("small", new byte[] {1, 2, 3});

    assertThat(result("small").spilled()).isFalse();
    assertThat(store.bytesInMemory()).isEqualTo(3);
    assertThat(spillFiles()).isEmpty();
  }

  @Test
  void spillsSmallBodiesOnceTheMemoryBudgetIsUsed() throws Exception {
    store = store(1_000, 1_500);
    byte[] second = randomBytes(800);

    completeWith("first", randomBytes(800));
    completeWith("second", second);

    assertThat(result("first").spilled()).isFalse();
    assertThat(result("second").spilled()).isTrue();
    assertThat(result("second").bytes()).isEqualTo(second);
    assertThat(store.bytesInMemory()).isEqualTo(800).isLessThanOrEqualTo(1_500);

    clock.advance(RETENTION);
    store.expireDue();
    completeWith("third", randomBytes(800));
    assertThat(result("third").spilled()).as("memory freed by expiry is used again").isFalse();
  }

  @Test
  void closeDeletesTheSpillFiles() throws Exception {
    store = store(10, 1_000);
    completeWith("a", randomBytes(100));
    completeWith("b", randomBytes(100));
    assertThat(spillFiles()).hasSize(2);

    store.close();

    assertThat(spillFiles()).isEmpty();
  }

  private InMemoryRequestStore store(long spillThreshold, long memoryBudget) {
    return new InMemoryRequestStore(
        new RequestStoreSettings(RETENTION, spillThreshold, memoryBudget, spillDirectory, 100), clock);
  }

  private void completeWith(String requestId, byte[] body) {
    store.create(requestId, "m");
    store.markStarted(requestId);
    store.complete(requestId, 200, "application/octet-stream", body.clone(), Duration.ofSeconds(1));
  }

  private StoredBody result(String requestId) {
    return ((Lookup.Found) store.lookup(requestId)).request().result().orElseThrow().body();
  }

  private Path[] spillFiles() throws Exception {
    try (Stream<Path> files = Files.list(spillDirectory)) {
      return files.toArray(Path[]::new);
    }
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
