package dev.kiln.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.queue.CancelOutcome;
import dev.kiln.gateway.queue.Lane;
import dev.kiln.gateway.queue.LogLine;
import dev.kiln.gateway.queue.Lookup;
import dev.kiln.gateway.queue.OfferResult;
import dev.kiln.gateway.queue.RequestError;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestState;
import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.queue.WorkerPath;
import dev.kiln.gateway.results.FileSystemResultObjects;
import dev.kiln.gateway.results.ResultFiles;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.testing.time.ManualClock;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableQueueIT {

  private static final ModelKey MODEL = new ModelKey("team", "echo");
  static final URI QUEUE_BASE = URI.create("https://queue.kiln.example.com");
  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final Duration RETENTION = Duration.ofHours(1);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));
  private Database database;
  private DurableQueue replicaA;
  private DurableQueue replicaB;
  @TempDir
  Path resultDirectory;

  @BeforeEach
  void openDatabase() {
    database = Database.open(TestPostgres.freshDatabase());
    replicaA = replica("gateway-a", 1000);
    replicaB = replica("gateway-b", 1000);
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Test
  void aRequestWaitsUntilClaimedAndItsInputComesBackWhole() {
    Submission submitted = submission("r-1", Lane.NORMAL);

    assertThat(replicaA.accept(submitted, OptionalInt.empty(), QUEUE_BASE)).isEqualTo(new OfferResult.Accepted(0));
    assertThat(found("r-1").state()).isEqualTo(RequestState.IN_QUEUE);
    Claimed claimed = replicaB.claimNext(MODEL).orElseThrow();

    assertThat(claimed.claims()).isEqualTo(1);
    assertThat(claimed.submission().body()).isEqualTo(submitted.body());
    assertThat(claimed.submission()).usingRecursiveComparison().ignoringFields("body").isEqualTo(submitted);
    assertThat(found("r-1").state()).isEqualTo(RequestState.IN_PROGRESS);
    assertThat(replicaA.claimNext(MODEL)).isEmpty();
  }

  @Test
  void normalRequestsStartBeforeLowOnesAndEachLaneInArrivalOrder() {
    replicaA.accept(submission("low-1", Lane.LOW), OptionalInt.empty(), QUEUE_BASE);
    clock.advance(Duration.ofMillis(1));
    replicaA.accept(submission("normal-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    clock.advance(Duration.ofMillis(1));
    replicaB.accept(submission("normal-2", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);

    assertThat(replicaA.position("low-1")).hasValue(2);
    assertThat(replicaA.position("normal-2")).hasValue(1);
    assertThat(List.of(claimedId(replicaB), claimedId(replicaA), claimedId(replicaB)))
        .containsExactly("normal-1", "normal-2", "low-1");
    assertThat(replicaA.position("low-1")).isEmpty();
  }

  @Test
  void replicasClaimingAtOnceNeverTakeTheSameRequest() throws Exception {
    for (int i = 0; i < 300; i++) {
      replicaA.accept(submission("r-" + i, Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    }
    List<String> claimed = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService threads = Executors.newFixedThreadPool(6)) {
      List<Future<?>> claimers = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        DurableQueue replica = t % 2 == 0 ? replicaA : replicaB;
        claimers.add(threads.submit(() -> {
          Optional<Claimed> next;
          while ((next = replica.claimNext(MODEL)).isPresent()) {
            claimed.add(next.get().submission().requestId());
          }
        }));
      }
      for (Future<?> claimer : claimers) {
        claimer.get();
      }
    }

    assertThat(claimed).hasSize(300).doesNotHaveDuplicates();
  }

  @Test
  void onlyTheLeaseHolderCompletesARequestAndItsUsageRowIsWrittenOnce() throws SQLException {
    replicaA.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    replicaA.claimNext(MODEL).orElseThrow();
    byte[] output = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    LogLine log = new LogLine("loaded", clock.instant(), Optional.of("INFO"));

    assertThat(replicaB.complete("r-1", 200, "application/json", output, Duration.ofMillis(1500), List.of(),
        new BigDecimal("0.002"))).isEmpty();
    RequestRecord done = replicaA.complete("r-1", 200, "application/json", output, Duration.ofMillis(1500),
        List.of(log), new BigDecimal("0.002")).orElseThrow();
    Optional<RequestRecord> again = replicaA.complete("r-1", 200, "application/json", output,
        Duration.ofMillis(1500), List.of(), new BigDecimal("0.002"));

    assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
    assertThat(done.result().orElseThrow().body().bytes()).isEqualTo(output);
    assertThat(done.logs()).containsExactly(log);
    assertThat(done.inferenceTime()).contains(Duration.ofMillis(1500));
    assertThat(again).isEmpty();
    assertThat(usageRows()).containsExactly("r-1 team-key team/echo 1.5 0.003");
  }

  @Test
  void aRequestHeldByAReplicaThatStoppedRenewingRunsAgainElsewhereAndTheStaleHolderCannotCompleteIt() {
    replicaA.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    replicaA.accept(submission("r-2", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    replicaA.claimNext(MODEL).orElseThrow();
    replicaB.claimNext(MODEL).orElseThrow();
    clock.advance(LEASE.minusSeconds(1));
    assertThat(replicaB.renewLeases(List.of("r-2")).held()).containsExactly("r-2");
    clock.advance(Duration.ofSeconds(2));

    assertThat(replicaB.reclaimExpired()).containsExactly("r-1");
    assertThat(replicaA.fail("r-1", RequestError.cancelled())).as("the stale holder").isEmpty();
    assertThat(found("r-1").state()).isEqualTo(RequestState.IN_QUEUE);
    Claimed again = replicaB.claimNext(MODEL).orElseThrow();

    assertThat(again.submission().requestId()).isEqualTo("r-1");
    assertThat(again.claims()).isEqualTo(2);
    assertThat(replicaA.renewLeases(List.of("r-1")).held()).isEmpty();
    assertThat(replicaA.complete("r-1", 200, "text/plain", new byte[1], Duration.ofSeconds(1), List.of(),
        BigDecimal.ONE)).isEmpty();
    assertThat(replicaB.complete("r-1", 200, "text/plain", new byte[1], Duration.ofSeconds(1), List.of(),
        BigDecimal.ONE)).isPresent();
  }

  @Test
  void aRequestThatMustNotRunTwiceFailsWhenItsReplicaStops() {
    Submission noRetry = new Submission("r-1", MODEL, new byte[] {1}, "application/json", Lane.NORMAL,
        Optional.empty(), Optional.empty(), false, "team-key", WorkerPath.RUN, Optional.empty());
    replicaA.accept(noRetry, OptionalInt.empty(), QUEUE_BASE);
    replicaA.claimNext(MODEL).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));

    assertThat(replicaB.reclaimExpired()).isEmpty();

    RequestRecord failed = found("r-1");
    assertThat(failed.state()).isEqualTo(RequestState.COMPLETED);
    assertThat(failed.error().orElseThrow().errorType()).isEqualTo("runner_disconnected");
  }

  @Test
  void aRequestWhoseReplicasKeepStoppingFailsAfterTheLastClaim() {
    replicaA.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    for (int claim = 1; claim <= DurableQueue.MAX_CLAIMS; claim++) {
      assertThat(replicaA.claimNext(MODEL).orElseThrow().claims()).isEqualTo(claim);
      clock.advance(LEASE.plusSeconds(1));
      replicaB.reclaimExpired();
    }

    assertThat(found("r-1").error().orElseThrow().errorType()).isEqualTo("runner_disconnected");
    assertThat(replicaA.claimNext(MODEL)).isEmpty();
  }

  @Test
  void aReleasedRequestWaitsAgainAtTheFront() {
    replicaA.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    clock.advance(Duration.ofMillis(1));
    replicaA.accept(submission("r-2", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    replicaA.claimNext(MODEL).orElseThrow();

    replicaA.release("r-1");

    Claimed again = replicaB.claimNext(MODEL).orElseThrow();
    assertThat(again.submission().requestId()).isEqualTo("r-1");
    assertThat(again.claims()).isEqualTo(1);
  }

  @Test
  void cancellingAWaitingRequestCompletesItAndARunningOneIsMarkedForItsReplica() {
    replicaA.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    replicaA.accept(submission("r-2", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    replicaA.claim("r-1").orElseThrow();

    assertThat(replicaB.requestCancel("r-2")).isEqualTo(CancelOutcome.CANCELLATION_REQUESTED);
    assertThat(replicaB.requestCancel("r-1")).isEqualTo(CancelOutcome.CANCELLATION_REQUESTED);

    assertThat(found("r-2").error()).contains(RequestError.cancelled());
    assertThat(replicaA.renewLeases(List.of("r-1")).cancelRequested()).containsExactly("r-1");
    assertThat(replicaA.fail("r-1", RequestError.cancelled())).isPresent();
    assertThat(replicaB.requestCancel("r-1")).isEqualTo(CancelOutcome.ALREADY_COMPLETED);
    assertThat(replicaB.requestCancel("nobody")).isEqualTo(CancelOutcome.NOT_FOUND);
  }

  @Test
  void aFullQueueAndTheCallersOwnLimitRefuseNewRequests() {
    DurableQueue small = replica("gateway-small", 2);
    small.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    small.accept(submission("r-2", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);

    assertThat(small.accept(submission("r-3", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE))
        .isEqualTo(new OfferResult.Refused(OfferResult.Reason.QUEUE_FULL, 2, 2));
    assertThat(replicaA.accept(submission("r-4", Lane.NORMAL), OptionalInt.of(1), QUEUE_BASE))
        .isEqualTo(new OfferResult.Refused(OfferResult.Reason.CALLER_LIMIT, 2, 1));
    assertThat(replicaA.lookup("r-3")).isInstanceOf(Lookup.NotFound.class);
    assertThat(small.waitingByLane(MODEL)).as("counted by the replica that accepted them").containsExactly(2, 0);
    assertThat(replicaA.waitingByLane(MODEL)).containsExactly(0, 0);
    assertThat(replicaA.modelsWithWaitingRequests()).containsExactly(MODEL);
  }

  @Test
  void aRequestPastItsStartDeadlineFailsWithoutRunning() {
    Submission hurried = new Submission("r-1", MODEL, new byte[] {1}, "application/json", Lane.NORMAL,
        Optional.of(clock.instant().plusSeconds(5)), Optional.empty(), true, "team-key", WorkerPath.RUN,
        Optional.empty());
    replicaA.accept(hurried, OptionalInt.empty(), QUEUE_BASE);
    clock.advance(Duration.ofSeconds(5));

    assertThat(replicaB.claimNext(MODEL)).isEmpty();
    List<RequestRecord> expired = replicaB.expireStartDeadlines();

    assertThat(expired).extracting(RequestRecord::requestId).containsExactly("r-1");
    assertThat(expired.getFirst().error()).contains(RequestError.startDeadlinePassed());
  }

  @Test
  void afterItsRetentionARequestAnswersThatItExpired() {
    replicaA.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    replicaA.claimNext(MODEL).orElseThrow();
    replicaA.complete("r-1", 200, "text/plain", new byte[] {1}, Duration.ofSeconds(1), List.of(), BigDecimal.ONE);
    clock.advance(RETENTION.minusSeconds(1));
    assertThat(replicaB.expireDue()).isZero();
    clock.advance(Duration.ofSeconds(1));

    assertThat(replicaB.expireDue()).isEqualTo(1);
    assertThat(replicaA.lookup("r-1")).isEqualTo(new Lookup.Expired("r-1"));
  }

  @Test
  void aBatchIsAcceptedWholeOrNotAtAllAndCountsItsRequests() {
    DurableQueue small = replica("gateway-small", 3);
    small.accept(submission("alone", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);

    assertThat(small.acceptBatch("too-big", MODEL, "team-key",
        List.of(submission("b-1", Lane.NORMAL), submission("b-2", Lane.NORMAL), submission("b-3", Lane.NORMAL)), QUEUE_BASE))
        .isInstanceOf(OfferResult.Refused.class);
    assertThat(small.lookup("b-1")).isInstanceOf(Lookup.NotFound.class);
    assertThat(small.batch("too-big")).isEmpty();
    assertThat(small.acceptBatch("fits", MODEL, "team-key",
        List.of(submission("b-1", Lane.NORMAL), submission("b-2", Lane.NORMAL)), QUEUE_BASE))
        .isInstanceOf(OfferResult.Accepted.class);
    replicaA.claim("b-1").orElseThrow();
    replicaA.complete("b-1", 200, "text/plain", new byte[] {1}, Duration.ofSeconds(1), List.of(), BigDecimal.ONE);

    Batch batch = replicaB.batch("fits").orElseThrow();
    assertThat(batch.model()).isEqualTo(MODEL);
    assertThat(batch.items()).extracting(BatchItem::requestId).containsExactly("b-1", "b-2");
    assertThat(batch.count(RequestState.COMPLETED)).isEqualTo(1);
    assertThat(batch.count(RequestState.IN_QUEUE)).isEqualTo(1);
    assertThat(batch.succeeded()).isEqualTo(1);
    assertThat(batch.failed()).isZero();
  }

  @Test
  void aLargeOutputIsKeptAsAnObjectReadBackWholeAndDeletedWithItsRequest() {
    byte[] output = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
    replicaA.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    replicaA.claimNext(MODEL).orElseThrow();

    replicaA.complete("r-1", 200, "text/plain", output, Duration.ofSeconds(1), List.of(), BigDecimal.ONE);

    assertThat(found("r-1").result().orElseThrow().body().bytes()).isEqualTo(output);
    assertThat(replicaB.resultObject("r-1/output")).hasValueSatisfying(object -> {
      assertThat(object.bytes()).isEqualTo(output);
      assertThat(object.contentType()).isEqualTo("text/plain");
    });
    clock.advance(RETENTION);
    replicaB.expireDue();
    assertThat(replicaA.resultObject("r-1/output")).isEmpty();
  }

  @Test
  void aLargeDataUriInAJsonOutputBecomesAUrlOnTheHostItsCallerUsed() {
    byte[] png = new byte[300];
    new Random(7).nextBytes(png);
    String output = "{\"image\":{\"url\":\"data:image/png;base64," + Base64.getEncoder().encodeToString(png)
        + "\",\"content_type\":\"image/png\"},\"small\":\"data:text/plain;base64,aGk=\"}";
    replicaA.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE);
    replicaA.claimNext(MODEL).orElseThrow();

    RequestRecord done = replicaA.complete("r-1", 200, "application/json", output.getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(1), List.of(), BigDecimal.ONE).orElseThrow();
    String linked = new String(ResultLinks.linked(done, URI.create("https://other.example.com")).result().orElseThrow()
        .body().bytes(), StandardCharsets.UTF_8);

    assertThat(linked).contains("\"url\":\"https://other.example.com/-/results/r-1/0\"")
        .contains("\"small\":\"data:text/plain;base64,aGk=\"").doesNotContain("image/png;base64");
    assertThat(replicaB.resultObject("r-1/0")).hasValueSatisfying(object -> {
      assertThat(object.bytes()).isEqualTo(png);
      assertThat(object.contentType()).isEqualTo("image/png");
    });
  }

  @Test
  void aSecondDatabaseOpenFindsTheSchemaInPlace() {
    DatabaseSettings settings = TestPostgres.freshDatabase();
    Database.open(settings).close();

    try (Database reopened = Database.open(settings)) {
      DurableQueue queue = new DurableQueue(reopened, "gateway-c", clock, LEASE, RETENTION, 10, DurableQueueIT::payload,
          results());
      assertThat(queue.accept(submission("r-1", Lane.NORMAL), OptionalInt.empty(), QUEUE_BASE))
          .isEqualTo(new OfferResult.Accepted(0));
    }
  }

  private DurableQueue replica(String name, int capacity) {
    return new DurableQueue(database, name, clock, LEASE, RETENTION, capacity, DurableQueueIT::payload, results());
  }

  /** Results in a directory of the test's, any output over 64 bytes stored there. */
  private ResultFiles results() {
    return new ResultFiles(new FileSystemResultObjects(resultDirectory), 64);
  }

  /** The webhook body these tests give the queue: the request's id and state. */
  static byte[] payload(RequestRecord done) {
    return (done.requestId() + " " + done.state()).getBytes(StandardCharsets.UTF_8);
  }

  private String claimedId(DurableQueue replica) {
    return replica.claimNext(MODEL).orElseThrow().submission().requestId();
  }

  private RequestRecord found(String requestId) {
    return ((Lookup.Found) replicaA.lookup(requestId)).request();
  }

  private List<String> usageRows() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT request_id, api_key, model, compute_seconds, cost FROM usage ORDER BY request_id");
        ResultSet result = select.executeQuery()) {
      while (result.next()) {
        rows.add(result.getString(1) + " " + result.getString(2) + " " + result.getString(3) + " "
            + result.getBigDecimal(4).stripTrailingZeros().toPlainString() + " " + result.getBigDecimal(5).stripTrailingZeros().toPlainString());
      }
    }
    return rows;
  }

  private Submission submission(String id, Lane lane) {
    return new Submission(id, MODEL, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
        "application/json", lane, Optional.empty(), Optional.of("worker-1"), true, "team-key", WorkerPath.RUN,
        Optional.of(URI.create("https://hooks.example.com/kiln")));
  }
}
