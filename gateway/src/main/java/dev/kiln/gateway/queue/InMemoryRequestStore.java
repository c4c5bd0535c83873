package dev.kiln.gateway.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link RequestStore} in the gateway's memory, with large result bodies spilled to disk. Requests are lost when the
 * gateway stops. Completed requests are forgotten lazily: on a lookup after their retention ended, and by
 * {@link #expireDue()}, which the server calls on a timer to free memory and spill files.
 */
public final class InMemoryRequestStore implements RequestStore {

  private final RequestStoreSettings settings;
  private final Clock clock;
  private final ResultBodies bodies;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Entry> requests = new HashMap<>();
  private final ArrayDeque<String> completedInOrder = new ArrayDeque<>();
  private final Map<String, Boolean> expiredIds;

  public InMemoryRequestStore(RequestStoreSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.bodies =
        new ResultBodies(settings.spillThresholdBytes(), settings.memoryBudgetBytes(), settings.spillDirectory());
    this.expiredIds = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > settings.expiredIdsRemembered();
      }
    };
  }

  @Override
  public RequestRecord create(String requestId, String model) {
    lock.lock();
    try {
      if (requests.containsKey(requestId) || expiredIds.containsKey(requestId)) {
        throw new IllegalArgumentException("Request " + requestId + " already exists");
      }
      Entry entry = new Entry(requestId, model, clock.instant());
      requests.put(requestId, entry);
      return changedLocked(entry);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public RequestRecord markStarted(String requestId) {
    lock.lock();
    try {
      Entry entry = existing(requestId, "start");
      requireState(entry, RequestState.IN_QUEUE, "start");
      entry.state = RequestState.IN_PROGRESS;
      entry.startedAt = Optional.of(clock.instant());
      return changedLocked(entry);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void appendLog(String requestId, LogLine line) {
    lock.lock();
    try {
      Entry entry = existing(requestId, "log to");
      if (entry.state == RequestState.COMPLETED) {
        throw new IllegalStateException("Cannot log to request " + requestId + ": it has completed");
      }
      entry.logs.add(line);
      changedLocked(entry);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public RequestRecord complete(
      String requestId, int statusCode, String contentType, byte[] body, Duration inferenceTime) {
    lock.lock();
    try {
      Entry entry = existing(requestId, "complete");
      requireState(entry, RequestState.IN_PROGRESS, "complete");
      entry.result = Optional.of(new RequestResult(statusCode, contentType, bodies.keep(body)));
      return finishLocked(entry, Optional.of(inferenceTime));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public RequestRecord fail(String requestId, RequestError error, Optional<Duration> inferenceTime) {
    lock.lock();
    try {
      Entry entry = existing(requestId, "fail");
      if (entry.state == RequestState.COMPLETED) {
        throw new IllegalStateException("Cannot fail request " + requestId + ": it has already completed");
      }
      entry.error = Optional.of(error);
      return finishLocked(entry, inferenceTime);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CancelOutcome requestCancel(String requestId) {
    lock.lock();
    try {
      Entry entry = liveEntry(requestId);
      if (entry == null) {
        return CancelOutcome.NOT_FOUND;
      }
      if (entry.state == RequestState.COMPLETED) {
        return CancelOutcome.ALREADY_COMPLETED;
      }
      if (!entry.cancelRequested) {
        entry.cancelRequested = true;
        changedLocked(entry);
      }
      return CancelOutcome.CANCELLATION_REQUESTED;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Lookup lookup(String requestId) {
    lock.lock();
    try {
      return lookupLocked(requestId);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Lookup awaitChange(String requestId, long afterVersion, Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (true) {
        Lookup lookup = lookupLocked(requestId);
        if (!(lookup instanceof Lookup.Found found) || found.request().version() > afterVersion || remaining <= 0) {
          return lookup;
        }
        remaining = changed.awaitNanos(remaining);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int expireDue() {
    lock.lock();
    try {
      Instant now = clock.instant();
      int forgotten = 0;
      while (!completedInOrder.isEmpty()) {
        Entry entry = requests.get(completedInOrder.peekFirst());
        if (entry != null && !retentionEnded(entry, now)) {
          break;
        }
        completedInOrder.pollFirst();
        if (entry != null) {
          forgetLocked(entry);
          forgotten++;
        }
      }
      return forgotten;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes of result bodies now held in memory, at most the settings' memory budget. */
  public long bytesInMemory() {
    return bodies.bytesInMemory();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      requests.clear();
      completedInOrder.clear();
    } finally {
      lock.unlock();
    }
    bodies.close();
  }

  private Lookup lookupLocked(String requestId) {
    Entry entry = liveEntry(requestId);
    if (entry != null) {
      return new Lookup.Found(entry.snapshot());
    }
    return expiredIds.containsKey(requestId) ? new Lookup.Expired(requestId) : new Lookup.NotFound(requestId);
  }

  /** The entry, or null when unknown or its retention has ended (then it is forgotten now). */
  private Entry liveEntry(String requestId) {
    Entry entry = requests.get(requestId);
    if (entry != null && retentionEnded(entry, clock.instant())) {
      forgetLocked(entry);
      return null;
    }
    return entry;
  }

  private boolean retentionEnded(Entry entry, Instant now) {
    return entry.finishedAt.map(finished -> !now.isBefore(finished.plus(settings.retention()))).orElse(false);
  }

  private void forgetLocked(Entry entry) {
    requests.remove(entry.requestId);
    expiredIds.put(entry.requestId, Boolean.TRUE);
    entry.result.ifPresent(result -> bodies.release(result.body()));
    changed.signalAll();
  }

  private RequestRecord finishLocked(Entry entry, Optional<Duration> inferenceTime) {
    entry.state = RequestState.COMPLETED;
    entry.finishedAt = Optional.of(clock.instant());
    entry.inferenceTime = inferenceTime;
    completedInOrder.addLast(entry.requestId);
    return changedLocked(entry);
  }

  private RequestRecord changedLocked(Entry entry) {
    entry.version++;
    changed.signalAll();
    return entry.snapshot();
  }

  private Entry existing(String requestId, String action) {
    Entry entry = liveEntry(requestId);
    if (entry == null) {
      throw new IllegalStateException("Cannot " + action + " request " + requestId + ": it is not known");
    }
    return entry;
  }

  private static void requireState(Entry entry, RequestState expected, String action) {
    if (entry.state != expected) {
      throw new IllegalStateException(
          "Cannot " + action + " request " + entry.requestId + ": it is " + entry.state + ", not " + expected);
    }
  }

  /** A request's mutable state, guarded by the store's lock. */
  private static final class Entry {
    private final String requestId;
    private final String model;
    private final Instant createdAt;
    private final List<LogLine> logs = new ArrayList<>();
    private RequestState state = RequestState.IN_QUEUE;
    private Optional<Instant> startedAt = Optional.empty();
    private Optional<Instant> finishedAt = Optional.empty();
    private Optional<Duration> inferenceTime = Optional.empty();
    private Optional<RequestResult> result = Optional.empty();
    private Optional<RequestError> error = Optional.empty();
    private boolean cancelRequested;
    private long version;

    private Entry(String requestId, String model, Instant createdAt) {
      this.requestId = requestId;
      this.model = model;
      this.createdAt = createdAt;
    }

    private RequestRecord snapshot() {
      return new RequestRecord(requestId, model, state, createdAt, startedAt, finishedAt, logs, inferenceTime, result,
          error, cancelRequested, version);
    }
  }
}
