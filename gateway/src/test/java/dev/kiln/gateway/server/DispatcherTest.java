package dev.kiln.gateway.server;

import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.queue.WorkerPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.crds.apikey.CapPeriod;
import dev.kiln.gateway.auth.SpendLimit;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.queue.CancelOutcome;
import dev.kiln.gateway.queue.InMemoryRequestStore;
import dev.kiln.gateway.queue.Lane;
import dev.kiln.gateway.queue.ModelQueues;
import dev.kiln.gateway.queue.QueueDepth;
import dev.kiln.gateway.queue.RequestError;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestState;
import dev.kiln.gateway.queue.RequestStoreSettings;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.gateway.routing.RoutableModel;
import dev.kiln.gateway.routing.Router;
import dev.kiln.gateway.routing.RouterSettings;
import dev.kiln.gateway.routing.Worker;
import dev.kiln.gateway.worker.RuntimeWorker;
import dev.kiln.gateway.worker.WorkerClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher in front of a real runtime on a pod-like loopback address (127.0.77.1:8080), with the replicas each
 * test says a model has.
 */
class DispatcherTest {

  private static final String LIVE_IP = "127.0.77.1";
  private static final Worker LIVE = new Worker("w-live", "uid-live", LIVE_IP);
  private static final Worker DEAD = new Worker("w-dead", "uid-dead", "127.0.77.9");
  private static final ModelKey ECHO = new ModelKey("ml", "echo");
  private static final ModelKey SLOW = new ModelKey("ml", "slow");
  private static final ModelKey LONG = new ModelKey("ml", "long");

  @TempDir
  static Path cache;
  @TempDir
  Path spill;
  private static RuntimeWorker runtime;

  private final Map<ModelKey, List<Worker>> replicas = new ConcurrentHashMap<>();
  private final Map<ModelKey, BigDecimal> prices = new ConcurrentHashMap<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private InMemoryRequestStore store;
  private Dispatcher dispatcher;

  @BeforeAll
  static void startRuntime() throws Exception {
    runtime = RuntimeWorker.startAsPod(cache, LIVE_IP);
    runtime.loadSynthetic("echo", 5);
    runtime.loadSynthetic("slow", 400);
    runtime.loadSynthetic("long", 30_000);
  }

  @AfterAll
  static void stopRuntime() {
    runtime.close();
  }

  @BeforeEach
  void startDispatcher() {
    store = new InMemoryRequestStore(new RequestStoreSettings(Duration.ofMinutes(5), 1 << 20, 16 << 20, spill, 100),
        Clock.systemUTC());
    dispatcher = new Dispatcher(new Router(RouterSettings.DEFAULTS, Clock.systemUTC(), new Random(7)),
        key -> Optional.ofNullable(replicas.get(key)).map(workers -> new RoutableModel(key, Optional.of("v1"), 1, workers,
            prices.getOrDefault(key, BigDecimal.ZERO), Optional.empty())),
        new ModelQueues(100, Clock.systemUTC()), store, new WorkerClient(Duration.ofSeconds(1), Duration.ofSeconds(10)),
        new RunMetering(meters));
  }

  @AfterEach
  void stopDispatcher() {
    dispatcher.close();
    store.close();
  }

  @Test
  void aRequestForAReplicaWithRoomRunsAtOnceAndIsMetered() throws Exception {
    replicas.put(ECHO, List.of(LIVE));

    RequestRecord done = dispatcher.submit(submission(ECHO, Lane.NORMAL), Optional.empty(), OptionalInt.empty()).get();

    assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
    assertThat(done.result()).get().satisfies(result -> assertThat(result.statusCode()).isEqualTo(200));
    assertThat(done.inferenceTime()).get().satisfies(time -> assertThat(time).isPositive());
    assertThat(done.logs()).as("the runtime's log lines").extracting(line -> line.message())
        .singleElement().asString().startsWith("echo v1 ran in");
    double metered = meters.get("kiln.gateway.compute").tag("api_key", "ml/key").counter().count();
    assertThat(metered).isEqualTo(done.inferenceTime().orElseThrow().toNanos() / 1e9, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(meters.get("kiln.gateway.requests").tag("outcome", "ok").counter().count()).isEqualTo(1);
  }

  @Test
  void aPricedModelsComputeTimeIsChargedToTheKey() throws Exception {
    replicas.put(ECHO, List.of(LIVE));
    prices.put(ECHO, new BigDecimal("0.5"));

    RequestRecord done = dispatcher.submit(submission(ECHO, Lane.NORMAL), Optional.empty(), OptionalInt.empty()).get();

    double seconds = done.inferenceTime().orElseThrow().toNanos() / 1e9;
    assertThat(meters.get("kiln.gateway.cost").tag("api_key", "ml/key").counter().count())
        .isCloseTo(0.5 * seconds, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void normalRequestsStartBeforeLowOnesThatWaitedLonger() throws Exception {
    replicas.put(SLOW, List.of(LIVE));
    CompletableFuture<RequestRecord> running = dispatcher.submit(submission(SLOW, Lane.NORMAL), Optional.empty(), OptionalInt.empty());
    Submission low = submission(SLOW, Lane.LOW);
    CompletableFuture<RequestRecord> lowDone = dispatcher.submit(low, Optional.empty(), OptionalInt.empty());
    Submission normal = submission(SLOW, Lane.NORMAL);
    CompletableFuture<RequestRecord> normalDone = dispatcher.submit(normal, Optional.empty(), OptionalInt.empty());

    assertThat(dispatcher.position(normal.requestId())).hasValue(0);
    assertThat(dispatcher.position(low.requestId())).hasValue(1);
    running.get();
    Instant normalStarted = normalDone.get().startedAt().orElseThrow();
    Instant lowStarted = lowDone.get().startedAt().orElseThrow();
    assertThat(lowStarted).isAfter(normalStarted);
    assertThat(lowDone.get().result()).isPresent();
  }

  @Test
  void aQueuedRequestIsCancelledAtOnceAndNeverRuns() throws Exception {
    replicas.put(SLOW, List.of(LIVE));
    dispatcher.submit(submission(SLOW, Lane.NORMAL), Optional.empty(), OptionalInt.empty());
    Submission waiting = submission(SLOW, Lane.NORMAL);
    CompletableFuture<RequestRecord> done = dispatcher.submit(waiting, Optional.empty(), OptionalInt.empty());

    assertThat(dispatcher.cancel(waiting.requestId())).isEqualTo(CancelOutcome.CANCELLATION_REQUESTED);

    RequestRecord cancelled = done.get();
    assertThat(cancelled.startedAt()).isEmpty();
    assertThat(cancelled.error()).contains(RequestError.cancelled());
    assertThat(dispatcher.cancel(waiting.requestId())).isEqualTo(CancelOutcome.ALREADY_COMPLETED);
  }

  @Test
  void aRunningRequestIsCancelledOnItsWorkerToo() throws Exception {
    replicas.put(LONG, List.of(LIVE));
    Submission running = submission(LONG, Lane.NORMAL);
    CompletableFuture<RequestRecord> done = dispatcher.submit(running, Optional.empty(), OptionalInt.empty());
    await("running on the worker").atMost(Duration.ofSeconds(10)).until(() -> runtime.inFlight() == 1);

    assertThat(dispatcher.cancel(running.requestId())).isEqualTo(CancelOutcome.CANCELLATION_REQUESTED);

    assertThat(done.get(10, java.util.concurrent.TimeUnit.SECONDS).error()).contains(RequestError.cancelled());
    await("the worker stopped it").atMost(Duration.ofSeconds(10)).until(() -> runtime.inFlight() == 0);
  }

  @Test
  void aStartDeadlineThatPassesInTheQueueFailsTheRequestWithRequestTimeout() throws Exception {
    Submission late = new Submission(UUID.randomUUID().toString(), ECHO, "{}".getBytes(StandardCharsets.UTF_8),
        "application/json", Lane.NORMAL, Optional.of(Instant.now().plusMillis(300)), Optional.empty(), true, "ml/key",
        WorkerPath.RUN, Optional.empty());

    RequestRecord done = dispatcher.submit(late, Optional.empty(), OptionalInt.empty()).get();

    assertThat(done.startedAt()).isEmpty();
    assertThat(done.error()).get().satisfies(error -> assertThat(error.errorType()).isEqualTo("request_timeout"));
  }

  @Test
  void aRequestWaitsForAReplicaAndStartsWhenOneAppears() throws Exception {
    CompletableFuture<RequestRecord> done = dispatcher.submit(submission(ECHO, Lane.NORMAL), Optional.empty(), OptionalInt.empty());
    assertThat(done).isNotDone();

    replicas.put(ECHO, List.of(LIVE));

    assertThat(done.get().result()).get().satisfies(result -> assertThat(result.statusCode()).isEqualTo(200));
  }

  @Test
  void aWorkerThatRefusesTheConnectionIsSkippedAndTheRequestRunsElsewhere() throws Exception {
    replicas.put(ECHO, List.of(DEAD, LIVE));

    for (int i = 0; i < 4; i++) {
      RequestRecord done = dispatcher.submit(submission(ECHO, Lane.NORMAL), Optional.empty(), OptionalInt.empty()).get();
      assertThat(done.result()).as("request %d", i).get().satisfies(result -> assertThat(result.statusCode()).isEqualTo(200));
    }
  }

  @Test
  void aWorkerThatRefusesBecauseItIsDrainingIsSkippedAndTheRequestRunsElsewhere(@TempDir Path drainingCache)
      throws Exception {
    try (RuntimeWorker draining = RuntimeWorker.startAsPod(drainingCache, "127.0.77.3")) {
      draining.loadSynthetic("echo", 5);
      draining.drain();
      replicas.put(ECHO, List.of(new Worker("w-draining", "uid-draining", "127.0.77.3"), LIVE));

      for (int i = 0; i < 4; i++) {
        RequestRecord done = dispatcher.submit(submission(ECHO, Lane.NORMAL), Optional.empty(), OptionalInt.empty())
            .get();
        assertThat(done.result()).as("request %d", i).get()
            .satisfies(result -> assertThat(result.statusCode()).isEqualTo(200));
      }
    }
  }

  @Test
  void aConnectionThatBreaksMidRunFailsTheRequestWithoutSendingItTwice() throws Exception {
    try (var hangUp = new ServerSocket(8080, 4, InetAddress.getByName("127.0.77.2"))) {
      var accepted = new java.util.concurrent.atomic.AtomicInteger();
      Thread.ofVirtual().start(() -> {
        while (!hangUp.isClosed()) {
          try (Socket connection = hangUp.accept()) {
            accepted.incrementAndGet();
            readHead(connection.getInputStream());
          } catch (IOException e) {
            return;
          }
        }
      });
      replicas.put(ECHO, List.of(new Worker("w-hangup", "uid-hangup", "127.0.77.2")));

      RequestRecord done = dispatcher.submit(submission(ECHO, Lane.NORMAL), Optional.empty(), OptionalInt.empty()).get();

      assertThat(done.error()).get().satisfies(error -> assertThat(error.errorType()).isEqualTo("runner_disconnected"));
      assertThat(accepted).hasValue(1);
    }
  }

  @Test
  void aKeyAtItsSpendCapIsRefusedWith402SayingWhatToChange() {
    replicas.put(SLOW, List.of(LIVE));
    SpendLimit nothingLeft = new SpendLimit(BigDecimal.ZERO, CapPeriod.DAY);

    assertThatThrownBy(() -> dispatcher.submit(submission(SLOW, Lane.NORMAL), Optional.of(nothingLeft),
        OptionalInt.empty())).isInstanceOfSatisfying(FalException.class, e -> {
          assertThat(e.status()).isEqualTo(402);
          assertThat(e.getMessage()).contains("spend cap").contains("spec.spendCap.amount");
        });
  }

  @Test
  void aFullQueueRefusesWith429() {
    replicas.put(SLOW, List.of(LIVE));
    dispatcher.submit(submission(SLOW, Lane.NORMAL), Optional.empty(), OptionalInt.empty());
    dispatcher.submit(submission(SLOW, Lane.NORMAL), Optional.empty(), OptionalInt.empty());

    assertThatThrownBy(() -> dispatcher.submit(submission(SLOW, Lane.NORMAL), Optional.empty(), OptionalInt.of(0)))
        .isInstanceOfSatisfying(FalException.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.retryAfterSeconds()).isPresent();
        });
  }

  @Test
  void demandCountsArrivalsRunningAndWaitingRequestsAlsoOfAModelWithoutReplicas() throws Exception {
    try (var silent = new ServerSocket(8080, 4, InetAddress.getByName("127.0.77.3"))) {
      List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread.ofVirtual().start(() -> {
        while (!silent.isClosed()) {
          try {
            held.add(silent.accept());
          } catch (IOException e) {
            return;
          }
        }
      });
      Worker neverAnswers = new Worker("w-silent", "uid-silent", "127.0.77.3");
      replicas.put(SLOW, List.of(neverAnswers));

      dispatcher.submit(submission(SLOW, Lane.NORMAL), Optional.empty(), OptionalInt.empty());
      dispatcher.submit(submission(SLOW, Lane.LOW), Optional.empty(), OptionalInt.empty());
      dispatcher.submit(submission(ECHO, Lane.NORMAL), Optional.empty(), OptionalInt.empty());

      assertThat(dispatcher.demand()).containsExactly(
          new ModelDemand(ECHO, 1, 0, new QueueDepth(1, 0), 0),
          new ModelDemand(SLOW, 2, 1, new QueueDepth(0, 1), 1));
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  private static Submission submission(ModelKey model, Lane lane) {
    return new Submission(UUID.randomUUID().toString(), model, "{\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8),
        "application/json", lane, Optional.empty(), Optional.empty(), true, "ml/key", WorkerPath.RUN, Optional.empty());
  }

  private static void readHead(InputStream in) throws IOException {
    byte[] buffer = new byte[4096];
    String seen = "";
    int read = 0;
    while (!seen.contains("\r\n\r\n") && read >= 0) {
      read = in.read(buffer);
      if (read > 0) {
        seen += new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
      }
    }
  }
}
