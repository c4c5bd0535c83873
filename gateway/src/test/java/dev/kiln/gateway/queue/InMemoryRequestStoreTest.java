package dev.kiln.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.testing.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InMemoryRequestStoreTest {

  private static final Duration RETENTION = Duration.ofHours(1);

  @TempDir
  Path spillDirectory;

  private final ManualClock clock = new ManualClock();
  private InMemoryRequestStore store;

  private InMemoryRequestStore store(long spillThreshold, long memoryBudget, int expiredIdsRemembered) {
    store = new InMemoryRequestStore(
        new RequestStoreSettings(RETENTION, spillThreshold, memoryBudget, spillDirectory, expiredIdsRemembered), clock);
    return store;
  }

  private InMemoryRequestStore store() {
    return store(1024, 1024 * 1024, 1000);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aNewRequestIsQueuedForItsModel() {
    RequestRecord created = store().create("r1", "acme/flux");

    assertThat(created.state()).isEqualTo(RequestState.IN_QUEUE);
    assertThat(created.model()).isEqualTo("acme/flux");
    assertThat(created.createdAt()).isEqualTo(clock.instant());
    assertThat(created.startedAt()).isEmpty();
    assertThat(created.logs()).isEmpty();
    assertThat(found("r1")).isEqualTo(created);
  }

  @Test
  void recordsTheTimesLogsMetricsAndResultOfARequestThatRuns() {
    store().create("r1", "acme/flux");
    clock.advance(Duration.ofSeconds(2));
    RequestRecord started = store.markStarted("r1");
    LogLine line = new LogLine("loading", clock.instant(), Optional.of("INFO"));
    store.appendLog("r1", line);
    clock.advance(Duration.ofSeconds(3));

    store.complete("r1", 200, "application/json", bytes("{\"ok\":true}"), Duration.ofMillis(2900));

    RequestRecord done = found("r1");
    assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
    assertThat(done.startedAt()).hasValue(started.createdAt().plusSeconds(2));
    assertThat(done.finishedAt()).hasValue(clock.instant());
    assertThat(done.logs()).containsExactly(line);
    assertThat(done.inferenceTime()).hasValue(Duration.ofMillis(2900));
    assertThat(done.error()).isEmpty();
    RequestResult result = done.result().orElseThrow();
    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(result.contentType()).isEqualTo("application/json");
    assertThat(new String(result.body().bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
  }

  @Test
  void aFailedRequestCompletesWithItsErrorAndNoResult() {
    store().create("r1", "acme/flux");

    store.fail("r1", RequestError.startDeadlinePassed(), Optional.empty());

    RequestRecord done = found("r1");
    assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
    assertThat(done.error()).hasValue(RequestError.startDeadlinePassed());
    assertThat(done.error().orElseThrow().errorType()).isEqualTo("request_timeout");
    assertThat(done.result()).isEmpty();
  }

  @Test
  void refusesTransitionsThatGoBackOrSkipAState() {
    store().create("r1", "acme/flux");

    assertThatThrownBy(() -> store.complete("r1", 200, "text/plain", new byte[0], Duration.ZERO))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("IN_QUEUE");
    store.markStarted("r1");
    assertThatThrownBy(() -> store.markStarted("r1")).isInstanceOf(IllegalStateException.class);
    store.fail("r1", RequestError.cancelled(), Optional.of(Duration.ofSeconds(1)));
    assertThatThrownBy(() -> store.fail("r1", RequestError.cancelled(), Optional.empty()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already completed");
    assertThatThrownBy(() -> store.appendLog("r1", new LogLine("late", clock.instant(), Optional.empty())))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.markStarted("unknown")).hasMessageContaining("not known");
    assertThatThrownBy(() -> store.create("r1", "acme/flux")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cancelMarksAQueuedOrRunningRequestAndRefusesACompletedOne() {
    store().create("queued", "m");
    store.create("running", "m");
    store.markStarted("running");
    store.create("done", "m");
    store.fail("done", RequestError.cancelled(), Optional.empty());

    assertThat(store.requestCancel("queued")).isEqualTo(CancelOutcome.CANCELLATION_REQUESTED);
    assertThat(store.requestCancel("running")).isEqualTo(CancelOutcome.CANCELLATION_REQUESTED);
    assertThat(store.requestCancel("done")).isEqualTo(CancelOutcome.ALREADY_COMPLETED);
    assertThat(store.requestCancel("unknown")).isEqualTo(CancelOutcome.NOT_FOUND);
    assertThat(found("running").cancelRequested()).isTrue();
    assertThat(found("running").state()).isEqualTo(RequestState.IN_PROGRESS);
    assertThat(store.markStarted("queued").cancelRequested()).as("seen by the dispatcher on start").isTrue();
  }

  @Test
  void forgetsACompletedRequestWhenItsRetentionEndsAndSaysItExpired() {
    store().create("r1", "m");
    store.markStarted("r1");
    store.complete("r1", 200, "text/plain", bytes("out"), Duration.ofSeconds(1));

    clock.advance(RETENTION.minusSeconds(1));
    assertThat(store.lookup("r1")).isInstanceOf(Lookup.Found.class);
    clock.advance(Duration.ofSeconds(1));

    assertThat(store.lookup("r1")).isEqualTo(new Lookup.Expired("r1"));
    assertThat(store.lookup("never")).isEqualTo(new Lookup.NotFound("never"));
    assertThat(store.requestCancel("r1")).isEqualTo(CancelOutcome.NOT_FOUND);
    assertThat(store.bytesInMemory()).isZero();
  }

  @Test
  void expireDueForgetsOnlyRequestsPastTheirRetention() {
    store().create("old", "m");
    store.fail("old", RequestError.cancelled(), Optional.empty());
    clock.advance(Duration.ofMinutes(30));
    store.create("recent", "m");
    store.fail("recent", RequestError.cancelled(), Optional.empty());
    store.create("waiting", "m");
    clock.advance(Duration.ofMinutes(40));

    assertThat(store.expireDue()).isEqualTo(1);

    assertThat(store.lookup("old")).isInstanceOf(Lookup.Expired.class);
    assertThat(store.lookup("recent")).isInstanceOf(Lookup.Found.class);
    assertThat(store.lookup("waiting")).isInstanceOf(Lookup.Found.class);
  }

  @Test
  void remembersOnlyTheConfiguredNumberOfExpiredIds() {
    store(1024, 1024, 1);
    for (String id : new String[] {"a", "b"}) {
      store.create(id, "m");
      store.fail(id, RequestError.cancelled(), Optional.empty());
    }
    clock.advance(RETENTION);
    store.expireDue();

    assertThat(store.lookup("a")).isEqualTo(new Lookup.NotFound("a"));
    assertThat(store.lookup("b")).isEqualTo(new Lookup.Expired("b"));
  }

  @Test
  void everyChangeRaisesTheVersion() {
    long created = store().create("r1", "m").version();
    long started = store.markStarted("r1").version();
    store.appendLog("r1", new LogLine("step 1", clock.instant(), Optional.empty()));
    long logged = found("r1").version();
    long done = store.complete("r1", 200, "text/plain", bytes("x"), Duration.ZERO).version();

    assertThat(created).isLessThan(started);
    assertThat(started).isLessThan(logged);
    assertThat(logged).isLessThan(done);
  }

  @Test
  void awaitChangeReturnsAtOnceWhenTheRequestChangedAlready() throws InterruptedException {
    long created = store().create("r1", "m").version();
    store.markStarted("r1");

    Lookup lookup = store.awaitChange("r1", created, Duration.ofDays(1));

    assertThat(((Lookup.Found) lookup).request().state()).isEqualTo(RequestState.IN_PROGRESS);
  }

  @Test
  void awaitChangeWakesOnTheNextChange() throws Exception {
    long created = store().create("r1", "m").version();
    CompletableFuture<Lookup> next = CompletableFuture.supplyAsync(() -> {
      try {
        return store.awaitChange("r1", created, Duration.ofMinutes(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    store.appendLog("r1", new LogLine("warming up", clock.instant(), Optional.empty()));

    Lookup lookup = next.get(30, TimeUnit.SECONDS);
    assertThat(((Lookup.Found) lookup).request().logs()).extracting(LogLine::message).containsExactly("warming up");
  }

  @Test
  void awaitChangeGivesTheSameSnapshotBackOnTimeout() throws InterruptedException {
    RequestRecord created = store().create("r1", "m");

    assertThat(store.awaitChange("r1", created.version(), Duration.ofMillis(20))).isEqualTo(new Lookup.Found(created));
    assertThat(store.awaitChange("never", 0, Duration.ofMinutes(1))).isEqualTo(new Lookup.NotFound("never"));
  }

  private RequestRecord found(String requestId) {
    return ((Lookup.Found) store.lookup(requestId)).request();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
