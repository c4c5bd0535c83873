package dev.kiln.gateway.server;

import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.queue.CancelOutcome;
import dev.kiln.gateway.queue.Dispatch;
import dev.kiln.gateway.queue.Lane;
import dev.kiln.gateway.store.Batch;
import dev.kiln.gateway.auth.SpendLimit;
import dev.kiln.gateway.store.Claimed;
import dev.kiln.gateway.store.LocalSpendLedger;
import dev.kiln.gateway.store.SpendCheck;
import dev.kiln.gateway.store.SpendLedger;
import dev.kiln.gateway.store.Usage;
import dev.kiln.gateway.store.DatabaseException;
import dev.kiln.gateway.store.DurableQueue;
import dev.kiln.gateway.store.LeaseRenewal;
import dev.kiln.gateway.queue.Lookup;
import dev.kiln.gateway.queue.ModelQueue;
import dev.kiln.gateway.queue.ModelQueues;
import dev.kiln.gateway.queue.OfferResult;
import dev.kiln.gateway.queue.QueueDepth;
import dev.kiln.gateway.queue.QueuedRequest;
import dev.kiln.gateway.queue.RequestError;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestStore;
import dev.kiln.gateway.routing.Lease;
import dev.kiln.gateway.routing.ModelKey;
import dev.kiln.gateway.routing.RoutableModel;
import dev.kiln.gateway.routing.Route;
import dev.kiln.gateway.routing.Router;
import dev.kiln.gateway.routing.Worker;
import dev.kiln.gateway.worker.WorkerClient;
import dev.kiln.gateway.worker.WorkerFailure;
import dev.kiln.gateway.worker.WorkerResponse;
import dev.kiln.gateway.results.StoredObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each accepted request on a worker with room, or queues it.
 *
 * <p>A request goes straight to a worker when one of its model's replicas has room and nothing of
 * that model waits (the queue-free path); otherwise it waits in the model's queue. A model's queue
 * is drained whenever one of its runs ends, a request arrives, and on a short tick that also
 * catches new replicas in the routing table and start deadlines that pass while nothing can run.
 * Draining takes a worker slot first and only then a request, so a request never leaves the queue
 * without a worker to go to.
 *
 * <p>A worker that refuses the connection never saw the request: it is ejected from routing and
 * the request goes to the front of its model's line, to the next worker with room. A connection
 * that breaks after the request was sent fails it with {@code runner_disconnected}: the worker may
 * have run it, and it is never sent twice.
 *
 * <p>With a {@link DurableQueue}, requests {@linkplain #enqueue enqueued} through the queue API wait in the database
 * instead, shared by every replica: once its own waiting requests are started, a replica claims the database's for
 * the workers that still have room, whichever replica accepted them, and renews the leases of those it runs.
 * Synchronous runs never touch the database.
 */
public final class Dispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration TICK = Duration.ofMillis(100);
  /** A run's spend reservation this old, with no queued request behind it, was made by a replica that stopped. */
  private static final Duration ABANDONED_RUN = Duration.ofHours(1);

  private final Router router;
  private final Function<ModelKey, Optional<RoutableModel>> routes;
  private final ModelQueues queues;
  private final RequestStore store;
  private final WorkerClient workers;
  private final RunMetering metering;
  private final Optional<DurableQueue> durable;
  private final SpendLedger spend;
  private final CostEstimates costs = new CostEstimates();
  /**
   * Models that may have requests waiting in the database: those enqueued or put back here, and those the tick found.
   * A model leaves when a claim finds none, so a run that ends costs no database query unless there may be work.
   */
  private final Set<ModelKey> durablyWaiting = ConcurrentHashMap.newKeySet();
  /** Cleared when the replica starts to stop: what waits in the database is left for the other replicas. */
  private volatile boolean claiming = true;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  /** Started requests whose worker refused the connection, to go before the queue. */
  private final Map<ModelKey, Deque<Pending>> retries = new ConcurrentHashMap<>();
  /** Once closed, runs that end start nothing more. */
  private volatile boolean closed;
  /** Requests submitted since start, by model: every model the gateway has been asked for. */
  private final Map<ModelKey, LongAdder> arrived = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kiln-dispatch-tick").daemon().factory());

  /** @param routes each model's replicas now, e.g. from the routing table */
  public Dispatcher(Router router, Function<ModelKey, Optional<RoutableModel>> routes, ModelQueues queues, RequestStore store,
      WorkerClient workers, RunMetering metering) {
    this(router, routes, queues, store, workers, metering, Optional.empty(), Duration.ZERO,
        new LocalSpendLedger(Clock.systemUTC()));
  }

  /**
   * @param durable where enqueued requests wait, shared with the other replicas
   * @param renewLeasesEvery how often the leases of the durable requests this replica runs are renewed
   * @param spend where keys' spend is kept and their caps checked
   */
  public Dispatcher(Router router, Function<ModelKey, Optional<RoutableModel>> routes, ModelQueues queues,
      RequestStore store, WorkerClient workers, RunMetering metering, Optional<DurableQueue> durable,
      Duration renewLeasesEvery, SpendLedger spend) {
    this.router = router;
    this.routes = routes;
    this.queues = queues;
    this.store = store;
    this.workers = workers;
    this.metering = metering;
    this.durable = durable;
    this.spend = spend;
    ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    if (durable.isPresent()) {
      ticker.scheduleWithFixedDelay(this::keepLeases, renewLeasesEvery.toMillis(), renewLeasesEvery.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** One accepted request on its way. */
  private static final class Pending {
    private final Submission submission;
    /** Whether it waits in, and completes into, the {@link DurableQueue} rather than the {@link RequestStore}. */
    private final boolean durable;
    private final CompletableFuture<RequestRecord> done = new CompletableFuture<>();
    private volatile CompletableFuture<HttpResponse<byte[]>> run;
    private volatile Worker worker;
    private volatile boolean cancelled;

    private Pending(Submission submission, boolean durable) {
      this.submission = submission;
      this.durable = durable;
    }

    private String id() {
      return submission.requestId();
    }
  }

  /**
   * Accepts {@code submission}: recorded {@code IN_QUEUE}, then started at once or queued.
   *
   * @param spendCap its key's spend cap, if any
   * @param maxQueueLength the caller's {@code fal_max_queue_length}
   * @return completes with the request's final record once it is {@code COMPLETED}
   * @throws FalException 402 when its key has reached its spend cap, 429 when the model's queue refuses it
   */
  public CompletableFuture<RequestRecord> submit(Submission submission, Optional<SpendLimit> spendCap,
      OptionalInt maxQueueLength) {
    ModelKey model = submission.model();
    arrivedFor(model);
    reserve(submission, spendCap);
    ModelQueue queue = queue(model);
    store.create(submission.requestId(), model.toString());
    Pending request = new Pending(submission, false);
    pending.put(request.id(), request);
    if (queue.depth().total() == 0 && noRetries(model)) {
      Optional<Lease> lease = lease(model, submission.runnerHint());
      if (lease.isPresent()) {
        start(request, lease.get());
        return request.done;
      }
    }
    OfferResult offered = queue.offer(new QueuedRequest(request.id(), submission.lane(), submission.startDeadline()),
        maxQueueLength);
    if (offered instanceof OfferResult.Refused refused) {
      pending.remove(request.id());
      spend.release(request.id());
      store.fail(request.id(), new RequestError(refused.message(), "queue_full"), Optional.empty());
      throw FalException.tooManyRequests(refused.message(), 1);
    }
    drain(model);
    return request.done;
  }

  /**
   * Accepts {@code submission} into the {@link DurableQueue}, where any replica may start it; this one tries at once.
   *
   * @param spendCap its key's spend cap, if any
   * @param maxQueueLength the caller's {@code fal_max_queue_length}
   * @param queueBase the queue listener's URL as the caller reached it
   * @throws FalException 402 when its key has reached its spend cap, 429 when the model's queue refuses it
   * @throws IllegalStateException when this gateway has no durable queue
   */
  public void enqueue(Submission submission, Optional<SpendLimit> spendCap, OptionalInt maxQueueLength,
      URI queueBase) {
    DurableQueue queue = durable.orElseThrow(() -> new IllegalStateException("this gateway has no durable queue"));
    arrivedFor(submission.model());
    reserve(submission, spendCap);
    if (queue.accept(submission, maxQueueLength, queueBase) instanceof OfferResult.Refused refused) {
      spend.release(submission.requestId());
      throw FalException.tooManyRequests(refused.message(), 1);
    }
    durablyWaiting.add(submission.model());
    drain(submission.model());
  }

  /**
   * Accepts every one of {@code items}, all for {@code model}, into the {@link DurableQueue} as one batch, or none.
   *
   * @throws FalException 402 when its key's spend cap leaves no room for all of them, 429 when the model's queue
   *     cannot take them all
   */
  public void enqueueBatch(String batchId, ModelKey model, String apiKey, Optional<SpendLimit> spendCap,
      List<Submission> items, URI queueBase) {
    DurableQueue queue = durable.orElseThrow(() -> new IllegalStateException("this gateway has no durable queue"));
    arrivedFor(model);
    List<Submission> reserved = new ArrayList<>();
    try {
      for (Submission item : items) {
        reserve(item, spendCap);
        reserved.add(item);
      }
    } catch (FalException e) {
      reserved.forEach(item -> spend.release(item.requestId()));
      throw e;
    }
    if (queue.acceptBatch(batchId, model, apiKey, items, queueBase) instanceof OfferResult.Refused refused) {
      reserved.forEach(item -> spend.release(item.requestId()));
      throw FalException.tooManyRequests("The model's queue has room for " + (refused.limit() - refused.waiting())
          + " more requests, fewer than the batch's " + items.size() + "; retry later or send a smaller batch", 1);
    }
    durablyWaiting.add(model);
    drain(model);
  }

  /** An object a durable request's large output went to. */
  public Optional<StoredObject> resultObject(String key) {
    return durable.flatMap(queue -> queue.resultObject(key));
  }

  /** The batch {@code batchId}, from the durable queue. */
  public Optional<Batch> batch(String batchId) {
    return durable.flatMap(queue -> queue.batch(batchId));
  }

  /** Whether {@link #enqueue} is open: this gateway keeps its queue in a database. */
  public boolean durable() {
    return durable.isPresent();
  }

  /** Stops claiming requests from the durable queue: this replica is stopping, and the others will run them. */
  public void stopClaiming() {
    claiming = false;
  }

  /**
   * @throws FalException 402 when the submission's key has spent its cap, 429 when what its requests in flight are
   *     expected to cost would reach it (they may cost less: retry once they finish)
   */
  private void reserve(Submission submission, Optional<SpendLimit> spendCap) {
    if (spendCap.isEmpty()) {
      return;
    }
    SpendLimit cap = spendCap.get();
    BigDecimal estimate = costs.estimate(submission.model(), priceOf(submission.model()));
    if (!(spend.reserve(submission.requestId(), submission.apiKey(), cap, estimate)
        instanceof SpendCheck.CapReached reached)) {
      return;
    }
    String period = cap.period().name().toLowerCase(Locale.ROOT);
    if (reached.committed().compareTo(cap.amount()) >= 0) {
      throw new FalException(402, "API key " + submission.apiKey() + " has reached its spend cap of "
          + cap.amount().toPlainString() + " per " + period + " (UTC), with " + plain(reached.committed())
          + " spent. New requests are refused until the " + period + " ends or spec.spendCap.amount is raised; "
          + "requests already accepted finish", Optional.empty(), Optional.empty());
    }
    throw FalException.tooManyRequests("API key " + submission.apiKey() + " is close to its spend cap of "
        + cap.amount().toPlainString() + " per " + period + " (UTC): " + plain(reached.committed()) + " spent and "
        + plain(reached.reserved()) + " expected from its requests still running; retry once they finish", 1);
  }

  private static String plain(BigDecimal amount) {
    return amount.stripTrailingZeros().toPlainString();
  }

  private void arrivedFor(ModelKey model) {
    arrived.computeIfAbsent(model, key -> {
      metering.demandOf(key, () -> demandOf(key));
      return new LongAdder();
    }).increment();
  }

  /** Waits until no accepted request is waiting or running, or {@code timeout} passes; true when idle. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pending.isEmpty()) {
      for (Pending request : List.copyOf(pending.values())) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        try {
          request.done.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          return false;
        } catch (ExecutionException | CancellationException e) {
          // It ended all the same.
        }
      }
    }
    return true;
  }

  /**
   * The demand for each model asked for since start, in namespace and name order: including
   * models whose requests wait with no replica to run them, which is what brings one up.
   */
  public List<ModelDemand> demand() {
    return arrived.keySet().stream()
        .map(this::demandOf)
        .sorted(Comparator.comparing(ModelDemand::model, Comparator.comparing(ModelKey::namespace)
            .thenComparing(ModelKey::name)))
        .toList();
  }

  /** Where {@code requestId} waits now: requests ahead of it, empty once it left the queue. */
  public OptionalInt position(String requestId) {
    Pending request = pending.get(requestId);
    if (request != null && !request.durable) {
      return queue(request.submission.model()).position(requestId);
    }
    return durable.map(queue -> queue.position(requestId)).orElse(OptionalInt.empty());
  }

  /** Cancels a queued request at once, or tells a running one's worker connection to close. */
  public CancelOutcome cancel(String requestId) {
    if (durable.isPresent() && !(store.lookup(requestId) instanceof Lookup.Found)) {
      CancelOutcome outcome = durable.get().requestCancel(requestId);
      Pending running = pending.get(requestId);
      if (outcome == CancelOutcome.CANCELLATION_REQUESTED && running != null) {
        running.cancelled = true;
        stop(running);
      }
      return outcome;
    }
    CancelOutcome outcome = store.requestCancel(requestId);
    Pending request = pending.get(requestId);
    if (outcome != CancelOutcome.CANCELLATION_REQUESTED || request == null) {
      return outcome;
    }
    request.cancelled = true;
    Deque<Pending> retry = retries.get(request.submission.model());
    if (queue(request.submission.model()).cancel(requestId) || retry != null && retry.remove(request)) {
      finish(request, RequestError.cancelled(), Optional.empty(), "cancelled");
    } else {
      stop(request);
    }
    return outcome;
  }

  /** Stops a running request: its worker is told to stop it, and the connection to the worker is closed. */
  private void stop(Pending request) {
    Worker worker = request.worker;
    CompletableFuture<HttpResponse<byte[]>> run = request.run;
    if (worker != null) {
      workers.cancel(worker.cancelUri(request.id()));
    }
    if (run != null) {
      run.cancel(true);
    }
  }

  /** Starts queued requests of {@code model} while its replicas have room. */
  public void drain(ModelKey model) {
    if (closed) {
      return;
    }
    ModelQueue queue = queue(model);
    while (true) {
      Deque<Pending> retry = retries.get(model);
      if (queue.depth().total() == 0 && (retry == null || retry.isEmpty())) {
        expired(queue.expireDue());
        claimDurable(model);
        return;
      }
      Optional<Lease> lease = lease(model, Optional.empty());
      if (lease.isEmpty()) {
        expired(queue.expireDue());
        return;
      }
      Pending retried = retry == null ? null : retry.pollFirst();
      if (retried != null) {
        send(retried, lease.get());
        continue;
      }
      Dispatch dispatch = queue.poll();
      expired(dispatch.expired());
      Pending next = dispatch.next().map(queued -> pending.get(queued.requestId())).orElse(null);
      if (next == null) {
        lease.get().close();
        if (dispatch.next().isEmpty()) {
          return;
        }
      } else {
        start(next, lease.get());
      }
    }
  }

  /** Starts requests of {@code model} from the durable queue while its replicas have room. */
  private void claimDurable(ModelKey model) {
    if (durable.isEmpty() || !claiming || !durablyWaiting.contains(model)) {
      return;
    }
    while (!closed) {
      Optional<Lease> lease = lease(model, Optional.empty());
      if (lease.isEmpty()) {
        return;
      }
      Optional<Claimed> claimed;
      try {
        claimed = durable.get().claimNext(model);
      } catch (DatabaseException e) {
        lease.get().close();
        log.warn("cannot claim from the durable queue model={}: {}", model, e.getMessage());
        return;
      }
      if (claimed.isEmpty()) {
        lease.get().close();
        durablyWaiting.remove(model);
        return;
      }
      Pending request = new Pending(claimed.get().submission(), true);
      pending.put(request.id(), request);
      send(request, lease.get());
    }
  }

  private Optional<Lease> lease(ModelKey model, Optional<String> hint) {
    Optional<RoutableModel> routable = routes.apply(model);
    if (routable.isEmpty()) {
      return Optional.empty();
    }
    return router.route(routable.get(), hint) instanceof Route.Assigned assigned
        ? Optional.of(assigned.lease())
        : Optional.empty();
  }

  private void start(Pending request, Lease lease) {
    RequestRecord started = store.markStarted(request.id());
    if (started.cancelRequested()) {
      lease.close();
      finish(request, RequestError.cancelled(), Optional.empty(), "cancelled");
      return;
    }
    send(request, lease);
  }

  private void send(Pending request, Lease lease) {
    Submission submission = request.submission;
    CompletableFuture<HttpResponse<byte[]>> run = workers.start(submission.workerPath().on(lease), submission.body(),
        submission.contentType(), Optional.of(submission.requestId()));
    request.worker = lease.worker();
    request.run = run;
    if (request.cancelled) {
      stop(request);
    }
    run.whenComplete((response, error) -> Thread.ofVirtual().start(() -> ended(request, lease, run)));
  }

  private void ended(Pending request, Lease lease, CompletableFuture<HttpResponse<byte[]>> run) {
    ModelKey model = request.submission.model();
    try {
      WorkerResponse answer = WorkerClient.await(run, request.submission.workerPath().on(lease));
      lease.close();
      double seconds = answer.busySeconds().orElse(0);
      Duration busy = Duration.ofNanos(Math.round(seconds * 1e9));
      String outcome = answer.status() < 400 ? "ok" : "error";
      if (request.durable) {
        durable.orElseThrow().complete(request.id(), answer.status(), answer.contentType(), answer.body(), busy,
                answer.logs(), priceOf(model))
            .ifPresentOrElse(done -> completed(request, done, outcome, seconds), () -> lost(request));
        return;
      }
      answer.logs().forEach(line -> store.appendLog(request.id(), line));
      RequestRecord done = store.complete(request.id(), answer.status(), answer.contentType(), answer.body(), busy);
      completed(request, done, outcome, seconds);
    } catch (WorkerFailure failure) {
      failed(request, lease, failure);
    } catch (IllegalStateException e) {
      // Completed meanwhile, by a cancel: the store keeps the first outcome.
      lease.close();
      settle(request);
    } catch (DatabaseException e) {
      // The lease runs out unrenewed, and another replica (or this one's successor) runs the request again.
      log.warn("cannot record a request's outcome requestId={}: {}", request.id(), e.getMessage());
      lost(request);
    } finally {
      drain(model);
    }
  }

  private void failed(Pending request, Lease lease, WorkerFailure failure) {
    if (request.cancelled) {
      lease.close();
      finish(request, RequestError.cancelled(), Optional.empty(), "cancelled");
    } else if (failure.neverStarted() && request.submission.retry()) {
      log.warn("worker refused a request requestId={} worker={}: {}; trying another", request.id(),
          lease.worker().name(), failure.getMessage());
      lease.connectionFailed();
      if (request.durable) {
        pending.remove(request.id());
        durable.orElseThrow().release(request.id());
        durablyWaiting.add(request.submission.model());
        return;
      }
      retries.computeIfAbsent(request.submission.model(), key -> new ConcurrentLinkedDeque<>()).addFirst(request);
    } else {
      lease.close();
      boolean timedOut = failure.kind() == WorkerFailure.Kind.TIMED_OUT;
      log.warn("request failed requestId={} worker={} kind={}: {}", request.id(), lease.worker().name(), failure.kind(),
          failure.getMessage());
      finish(request, new RequestError(failure.getMessage(), timedOut ? "request_timeout" : "runner_disconnected"),
          Optional.empty(), timedOut ? "timeout" : "failed");
    }
  }

  private void expired(Iterable<QueuedRequest> expired) {
    for (QueuedRequest queued : expired) {
      Pending request = pending.get(queued.requestId());
      if (request != null) {
        finish(request, RequestError.startDeadlinePassed(), Optional.empty(), "timeout");
      }
    }
  }

  private void finish(Pending request, RequestError error, Optional<Duration> busy, String outcome) {
    if (request.durable) {
      durable.orElseThrow().fail(request.id(), error)
          .ifPresentOrElse(done -> completed(request, done, outcome, 0), () -> lost(request));
      return;
    }
    try {
      completed(request, store.fail(request.id(), error, busy), outcome, 0);
    } catch (IllegalStateException e) {
      settle(request);
    }
  }

  private void completed(Pending request, RequestRecord done, String outcome, double computeSeconds) {
    pending.remove(request.id());
    ModelKey model = request.submission.model();
    BigDecimal price = priceOf(model);
    metering.finished(model, request.submission.apiKey(), outcome, computeSeconds, price,
        Duration.between(done.createdAt(), done.finishedAt().orElse(done.createdAt())));
    if (computeSeconds > 0) {
      costs.observe(model, computeSeconds);
    }
    request.done.complete(done);
    if (!request.durable) {
      // After the caller has its answer: a run never waits on the ledger. A durable request's completion wrote it.
      recordSpend(request, done, computeSeconds, price);
    }
  }

  private void recordSpend(Pending request, RequestRecord done, double computeSeconds, BigDecimal price) {
    try {
      if (computeSeconds > 0) {
        spend.settle(new Usage(request.id(), request.submission.apiKey(), request.submission.model().toString(),
            Duration.ofNanos(Math.round(computeSeconds * 1e9)), price, done.finishedAt().orElse(done.createdAt())));
      } else {
        spend.release(request.id());
      }
    } catch (DatabaseException e) {
      log.warn("cannot record a run's usage requestId={}: {}", request.id(), e.getMessage());
    }
  }

  /** A durable request this replica no longer holds: another completed it, or runs it since its lease ran out. */
  private void lost(Pending request) {
    pending.remove(request.id());
    log.warn("request no longer held by this replica requestId={}: its outcome here was dropped", request.id());
    request.done.cancel(false);
  }

  private BigDecimal priceOf(ModelKey model) {
    return routes.apply(model).map(RoutableModel::pricePerSecond).orElse(BigDecimal.ZERO);
  }

  private ModelDemand demandOf(ModelKey model) {
    QueueDepth depth = queue(model).depth();
    Deque<Pending> retry = retries.get(model);
    int retrying = retry == null ? 0 : retry.size();
    LongAdder count = arrived.get(model);
    int[] durableWaiting = durable.map(queue -> queue.waitingByLane(model)).orElse(new int[Lane.values().length]);
    return new ModelDemand(model, count == null ? 0 : count.sum(), router.inFlight(model),
        new QueueDepth(depth.normal() + retrying + durableWaiting[Lane.NORMAL.ordinal()],
            depth.low() + durableWaiting[Lane.LOW.ordinal()]),
        routes.apply(model).map(routable -> routable.workers().size()).orElse(0));
  }

  /** Completes {@code request}'s future with whatever the store ended up with. */
  private void settle(Pending request) {
    pending.remove(request.id());
    spend.release(request.id());
    if (store.lookup(request.id()) instanceof Lookup.Found found) {
      request.done.complete(found.request());
    } else {
      request.done.cancel(false);
    }
  }

  private boolean noRetries(ModelKey model) {
    Deque<Pending> retry = retries.get(model);
    return retry == null || retry.isEmpty();
  }

  private ModelQueue queue(ModelKey model) {
    return queues.forModel(model.toString());
  }

  private void tick() {
    try {
      arrived.keySet().forEach(this::drain);
      if (durable.isPresent() && claiming) {
        for (ModelKey model : durable.get().modelsWithWaitingRequests()) {
          durablyWaiting.add(model);
          drain(model);
        }
      }
      store.expireDue();
    } catch (RuntimeException e) {
      log.error("dispatch tick failed", e);
    }
  }

  /**
   * Renews the leases of the durable requests running here, stops those their callers cancelled or that this replica
   * no longer holds, and puts back or fails those of replicas that stopped.
   */
  private void keepLeases() {
    try {
      DurableQueue queue = durable.orElseThrow();
      List<String> running = pending.values().stream().filter(request -> request.durable).map(Pending::id).toList();
      LeaseRenewal renewal = queue.renewLeases(running);
      Set<String> held = Set.copyOf(renewal.held());
      for (String id : running) {
        Pending request = pending.get(id);
        if (request != null && (!held.contains(id) || renewal.cancelRequested().contains(id)) && !request.cancelled) {
          request.cancelled = true;
          stop(request);
        }
      }
      List<String> reclaimed = queue.reclaimExpired();
      if (!reclaimed.isEmpty()) {
        log.warn("requests of a stopped replica waiting again count={} ids={}", reclaimed.size(), reclaimed);
      }
      queue.expireStartDeadlines();
      queue.expireDue();
      spend.releaseAbandonedRuns(ABANDONED_RUN);
    } catch (RuntimeException e) {
      log.error("durable queue upkeep failed", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    ticker.shutdownNow();
  }
}
