package dev.kiln.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.queue.Lane;
import dev.kiln.gateway.queue.RequestError;
import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.queue.WorkerPath;
import dev.kiln.gateway.results.FileSystemResultObjects;
import dev.kiln.gateway.results.ResultFiles;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.testing.time.ManualClock;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookOutboxIT {

  private static final ModelKey MODEL = new ModelKey("team", "echo");
  static final URI QUEUE_BASE = URI.create("https://queue.kiln.example.com");
  private static final URI HOOK = URI.create("https://hooks.example.com/kiln");
  private static final Duration ATTEMPT_LEASE = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));
  private Database database;
  private DurableQueue queue;
  private WebhookOutbox replicaA;
  private WebhookOutbox replicaB;
  @TempDir
  Path resultDirectory;

  @BeforeEach
  void openDatabase() {
    database = Database.open(TestPostgres.freshDatabase());
    queue = new DurableQueue(database, "gateway-a", clock, Duration.ofSeconds(10), Duration.ofHours(1), 100,
        DurableQueueIT::payload, new ResultFiles(new FileSystemResultObjects(resultDirectory), 64));
    replicaA = new WebhookOutbox(database, "gateway-a", clock, ATTEMPT_LEASE);
    replicaB = new WebhookOutbox(database, "gateway-b", clock, ATTEMPT_LEASE);
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Test
  void aCompletionWritesItsWebhookAndOnlyARequestThatAskedForOneHasOne() {
    queue.accept(submission("hooked", Optional.of(HOOK)), OptionalInt.empty(), QUEUE_BASE);
    queue.accept(submission("silent", Optional.empty()), OptionalInt.empty(), QUEUE_BASE);
    completeNext();
    completeNext();

    List<DueWebhook> due = replicaA.claimDue(10);

    assertThat(due).singleElement().satisfies(webhook -> {
      assertThat(webhook.requestId()).isEqualTo("hooked");
      assertThat(webhook.url()).isEqualTo(HOOK);
      assertThat(webhook.apiKey()).isEqualTo("team-key");
      assertThat(new String(webhook.payload(), StandardCharsets.UTF_8)).isEqualTo("hooked COMPLETED");
      assertThat(webhook.attempts()).isZero();
    });
    assertThat(replicaA.log("silent")).isEmpty();
  }

  @Test
  void cancelledAndDeadlinePassedRequestsHaveTheirWebhooksToo() {
    queue.accept(submission("cancelled", Optional.of(HOOK)), OptionalInt.empty(), QUEUE_BASE);
    queue.accept(new Submission("late", MODEL, new byte[] {1}, "application/json", Lane.NORMAL,
        Optional.of(clock.instant().plusSeconds(1)), Optional.empty(), true, "team-key", WorkerPath.RUN,
        Optional.of(HOOK)), OptionalInt.empty(), QUEUE_BASE);
    queue.requestCancel("cancelled");
    clock.advance(Duration.ofSeconds(1));
    queue.expireStartDeadlines();

    assertThat(replicaA.claimDue(10)).extracting(DueWebhook::requestId).containsExactlyInAnyOrder("cancelled", "late");
  }

  @Test
  void replicasClaimDifferentWebhooksAndAClaimHoldsUntilItsLeaseRunsOut() {
    for (int i = 0; i < 6; i++) {
      queue.accept(submission("r-" + i, Optional.of(HOOK)), OptionalInt.empty(), QUEUE_BASE);
      completeNext();
    }

    List<DueWebhook> a = replicaA.claimDue(4);
    List<DueWebhook> b = replicaB.claimDue(4);

    assertThat(a).hasSize(4);
    assertThat(b).hasSize(2);
    assertThat(a).extracting(DueWebhook::requestId).doesNotContainAnyElementsOf(
        b.stream().map(DueWebhook::requestId).toList());
    assertThat(replicaB.claimDue(10)).isEmpty();
    clock.advance(ATTEMPT_LEASE.plusSeconds(1));
    assertThat(replicaB.claimDue(10)).as("claims of a replica that stopped attempting").hasSize(6);
    assertThat(replicaA.record(a.getFirst(), attempt(1, 200), Optional.empty(), "DELIVERED"))
        .as("an attempt recorded after the lease ran out").isFalse();
  }

  @Test
  void failedAttemptsWaitTheirBackoffAndTheLogListsEveryAttempt() {
    queue.accept(submission("r-1", Optional.of(HOOK)), OptionalInt.empty(), QUEUE_BASE);
    completeNext();
    DueWebhook first = replicaA.claimDue(1).getFirst();

    assertThat(replicaA.record(first, attempt(1, 503), Optional.of(clock.instant().plusSeconds(14)), "GAVE_UP"))
        .isTrue();
    assertThat(replicaA.claimDue(1)).as("before its next attempt is due").isEmpty();
    clock.advance(Duration.ofSeconds(14));
    DueWebhook second = replicaB.claimDue(1).getFirst();
    assertThat(second.attempts()).isEqualTo(1);
    replicaB.record(second, new WebhookAttempt(2, clock.instant(), OptionalInt.empty(),
        Optional.of("java.net.ConnectException")), Optional.of(clock.instant().plusSeconds(28)), "GAVE_UP");
    clock.advance(Duration.ofSeconds(28));
    DueWebhook third = replicaA.claimDue(1).getFirst();
    replicaA.record(third, attempt(3, 204), Optional.empty(), "DELIVERED");

    WebhookLog log = replicaB.log("r-1").orElseThrow();
    assertThat(log.state()).isEqualTo("DELIVERED");
    assertThat(log.nextAttemptAt()).isEmpty();
    assertThat(log.attempts()).extracting(WebhookAttempt::attempt).containsExactly(1, 2, 3);
    assertThat(log.attempts().get(0).status()).hasValue(503);
    assertThat(log.attempts().get(1).error()).contains("java.net.ConnectException");
    assertThat(log.attempts().get(2).status()).hasValue(204);
    assertThat(replicaA.claimDue(10)).as("a delivered webhook is never sent again").isEmpty();
  }

  @Test
  void aWebhookLinksLargeOutputsOnTheHostTheRequestWasSubmittedTo() {
    queue.accept(submission("r-1", Optional.of(HOOK)), OptionalInt.empty(), QUEUE_BASE);
    queue.claimNext(MODEL).orElseThrow();
    queue.complete("r-1", 200, "text/plain", new byte[100], Duration.ofSeconds(1), List.of(), BigDecimal.ONE);
    DurableQueue linking = new DurableQueue(database, "gateway-a", clock, Duration.ofSeconds(10), Duration.ofHours(1),
        100, done -> done.result().orElseThrow().body().bytes(), new ResultFiles(new FileSystemResultObjects(
            resultDirectory), 16));
    linking.accept(submission("r-2", Optional.of(HOOK)), OptionalInt.empty(), QUEUE_BASE);
    linking.claimNext(MODEL).orElseThrow();
    linking.complete("r-2", 200, "application/json", ("{\"image\":\"data:image/png;base64,"
        + "A".repeat(40) + "\"}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1), List.of(), BigDecimal.ONE);

    DueWebhook webhook = replicaA.claimDue(10).stream().filter(due -> due.requestId().equals("r-2")).findFirst()
        .orElseThrow();
    assertThat(new String(webhook.payload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"image\":\"" + QUEUE_BASE + "/-/results/r-2/0\"}");
  }

  @Test
  void aFailedRunHasItsWebhook() {
    queue.accept(submission("r-1", Optional.of(HOOK)), OptionalInt.empty(), QUEUE_BASE);
    queue.claimNext(MODEL).orElseThrow();
    queue.fail("r-1", new RequestError("worker gone", "runner_disconnected"));

    assertThat(replicaA.log("r-1")).hasValueSatisfying(log -> assertThat(log.state()).isEqualTo("PENDING"));
  }

  private void completeNext() {
    Claimed claimed = queue.claimNext(MODEL).orElseThrow();
    queue.complete(claimed.submission().requestId(), 200, "application/json", new byte[] {1}, Duration.ofSeconds(1),
        List.of(), BigDecimal.ONE);
  }

  private WebhookAttempt attempt(int attempt, int status) {
    return new WebhookAttempt(attempt, clock.instant(), OptionalInt.of(status), Optional.empty());
  }

  private static Submission submission(String id, Optional<URI> webhook) {
    return new Submission(id, MODEL, new byte[] {1}, "application/json", Lane.NORMAL, Optional.empty(),
        Optional.empty(), true, "team-key", WorkerPath.RUN, webhook);
  }
}
