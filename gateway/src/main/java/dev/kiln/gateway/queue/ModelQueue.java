package dev.kiln.gateway.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests waiting for one model: bounded, two priority lanes ({@link Lane#NORMAL} before {@link Lane#LOW}), FIFO
 * within a lane, each request optionally with a start deadline. Safe to call from many threads.
 *
 * <p>Expiry: a request whose start deadline has passed (by the queue's {@link Clock}) leaves the queue at the next call
 * that looks at it, so it is never handed out and never counted in a position or a depth. Each expired request is
 * reported exactly once, in the {@link Dispatch#expired()} of the next {@link #poll()} or {@link #take} or in
 * {@link #expireDue()}, so the server can answer it 504. While no worker has room nothing is taken, so the server calls
 * {@link #expireDue()} on a timer, or schedules it for {@link #nextStartDeadline()}.
 *
 * <p>Waking a dispatcher: {@link #take} blocks until a request is waiting or the timeout elapses; {@link #offer} wakes
 * it. A dispatcher loop calls {@code take} whenever a worker has room.
 */
public final class ModelQueue {

  private final int capacity;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<Lane, SequencedMap<String, Waiting>> lanes = new EnumMap<>(Lane.class);
  private final TreeSet<Waiting> byDeadline =
      new TreeSet<>(Comparator.comparing((Waiting w) -> w.request().startDeadline().orElseThrow())
          .thenComparingLong(Waiting::sequence));
  private final List<QueuedRequest> expiredUnreported = new ArrayList<>();
  private long nextSequence;

  /**
   * @param capacity the most requests that may wait at once; an offer beyond it is refused
   * @param clock the time start deadlines are checked against
   */
  public ModelQueue(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("A model queue's capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.clock = clock;
    for (Lane lane : Lane.values()) {
      lanes.put(lane, new LinkedHashMap<>());
    }
  }

  /**
   * Queues a request at the end of its lane, unless that would break a bound.
   *
   * @param maxQueueLength the caller's {@code fal_max_queue_length}: refused when more than this many already wait
   * @return {@link OfferResult.Accepted} with its position, or {@link OfferResult.Refused} (the server answers 429)
   * @throws IllegalArgumentException when a request with the same id is already waiting
   */
  public OfferResult offer(QueuedRequest request, OptionalInt maxQueueLength) {
    lock.lock();
    try {
      sweepExpired();
      if (find(request.requestId()).isPresent()) {
        throw new IllegalArgumentException("Request " + request.requestId() + " is already queued");
      }
      int waiting = size();
      if (maxQueueLength.isPresent() && waiting > maxQueueLength.getAsInt()) {
        return new OfferResult.Refused(OfferResult.Reason.CALLER_LIMIT, waiting, maxQueueLength.getAsInt());
      }
      if (waiting >= capacity) {
        return new OfferResult.Refused(OfferResult.Reason.QUEUE_FULL, waiting, capacity);
      }
      Waiting entry = new Waiting(request, nextSequence++);
      lanes.get(request.lane()).put(request.requestId(), entry);
      if (request.startDeadline().isPresent()) {
        byDeadline.add(entry);
      }
      changed.signalAll();
      return new OfferResult.Accepted(positionOf(entry));
    } finally {
      lock.unlock();
    }
  }

  /**
   * The exact number of requests that will start before this one if nothing else changes: every waiting normal
   * request ahead of it (all of them, for a low one) and the low ones ahead of it in its lane.
   *
   * @return empty when the request is not waiting (never queued, started, cancelled or expired)
   */
  public OptionalInt position(String requestId) {
    lock.lock();
    try {
      sweepExpired();
      return find(requestId).map(entry -> OptionalInt.of(positionOf(entry))).orElse(OptionalInt.empty());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a waiting request at once.
   *
   * @return whether it was waiting (false when it already started, expired or never was queued here)
   */
  public boolean cancel(String requestId) {
    lock.lock();
    try {
      sweepExpired();
      Optional<Waiting> entry = find(requestId);
      entry.ifPresent(this::remove);
      return entry.isPresent();
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns the next request to start, if any, with every request that expired since the last report. */
  public Dispatch poll() {
    lock.lock();
    try {
      return pollLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Like {@link #poll()}, but waits up to {@code timeout} for a request to arrive when none is waiting. Returns an empty
   * {@link Dispatch} on timeout.
   *
   * @throws InterruptedException when the waiting thread is interrupted; nothing was removed
   */
  public Dispatch take(Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (true) {
        Dispatch dispatch = pollLocked();
        if (!dispatch.isEmpty() || remaining <= 0) {
          return dispatch;
        }
        remaining = changed.awaitNanos(remaining);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The earliest start deadline among the waiting requests: when {@link #expireDue()} next has work. */
  public Optional<Instant> nextStartDeadline() {
    lock.lock();
    try {
      sweepExpired();
      return byDeadline.isEmpty() ? Optional.empty() : byDeadline.first().request().startDeadline();
    } finally {
      lock.unlock();
    }
  }

  /** Removes every request whose start deadline has passed and returns those not reported before. */
  public List<QueuedRequest> expireDue() {
    lock.lock();
    try {
      sweepExpired();
      return drainExpired();
    } finally {
      lock.unlock();
    }
  }

  /** How many requests wait in each lane now, expired ones not counted. */
  public QueueDepth depth() {
    lock.lock();
    try {
      sweepExpired();
      return new QueueDepth(lanes.get(Lane.NORMAL).size(), lanes.get(Lane.LOW).size());
    } finally {
      lock.unlock();
    }
  }

  private Dispatch pollLocked() {
    sweepExpired();
    Optional<QueuedRequest> next = Optional.empty();
    for (Lane lane : Lane.values()) {
      SequencedMap<String, Waiting> waiting = lanes.get(lane);
      if (!waiting.isEmpty()) {
        Waiting first = waiting.firstEntry().getValue();
        remove(first);
        next = Optional.of(first.request());
        break;
      }
    }
    return new Dispatch(next, drainExpired());
  }

  private void sweepExpired() {
    Instant now = clock.instant();
    while (!byDeadline.isEmpty() && byDeadline.first().request().expiredAt(now)) {
      Waiting entry = byDeadline.pollFirst();
      lanes.get(entry.request().lane()).remove(entry.request().requestId());
      expiredUnreported.add(entry.request());
    }
  }

  private List<QueuedRequest> drainExpired() {
    List<QueuedRequest> expired = List.copyOf(expiredUnreported);
    expiredUnreported.clear();
    return expired;
  }

  private Optional<Waiting> find(String requestId) {
    for (SequencedMap<String, Waiting> waiting : lanes.values()) {
      Waiting entry = waiting.get(requestId);
      if (entry != null) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  private void remove(Waiting entry) {
    lanes.get(entry.request().lane()).remove(entry.request().requestId());
    if (entry.request().startDeadline().isPresent()) {
      byDeadline.remove(entry);
    }
  }

  private int positionOf(Waiting entry) {
    int ahead = 0;
    for (Lane lane : Lane.values()) {
      if (lane == entry.request().lane()) {
        Iterator<Waiting> inLane = lanes.get(lane).values().iterator();
        while (inLane.next() != entry) {
          ahead++;
        }
        return ahead;
      }
      ahead += lanes.get(lane).size();
    }
    throw new IllegalStateException("Lane " + entry.request().lane() + " is not one of " + lanes.keySet());
  }

  private int size() {
    return lanes.values().stream().mapToInt(Map::size).sum();
  }

  private record Waiting(QueuedRequest request, long sequence) {}
}
