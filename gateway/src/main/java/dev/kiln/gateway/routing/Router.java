package dev.kiln.gateway.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the worker for a request among a model's replicas and counts in-flight requests per replica.
 *
 * <p>A runner hint that names a replica with room wins; otherwise two replicas with room are drawn
 * at random and the one with fewer in-flight requests gets it (power of two choices), which
 * spreads load nearly as well as least-loaded without every gateway piling onto the same worker.
 * A replica is full at {@link RouterSettings#capacity}; when every replica is full the caller queues.
 * Thread-safe: decisions are short and taken under one lock, so capacity is never exceeded.
 */
public final class Router {

  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final RouterSettings settings;
  private final Clock clock;
  private final RandomGenerator random;
  private final Map<Replica, Integer> inFlight = new HashMap<>();
  /** Worker uid to the instant it may take requests again. */
  private final Map<String, Instant> ejected = new HashMap<>();
  private final List<Consumer<ModelKey>> slotFreedListeners = new CopyOnWriteArrayList<>();

  public Router(RouterSettings settings, Clock clock, RandomGenerator random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Routes one request for {@code model}.
   *
   * @param runnerHint the worker name from {@code X-Fal-Runner-Hint}, honoured when that worker is
   *     a replica of the model with room
   */
  public synchronized Route route(RoutableModel model, Optional<String> runnerHint) {
    Instant now = clock.instant();
    ejected.values().removeIf(until -> !now.isBefore(until));
    List<Worker> available = model.workers().stream().filter(w -> !ejected.containsKey(w.uid())).toList();
    if (available.isEmpty()) {
      return new Route.NoReplica();
    }
    int capacity = settings.capacity(model);
    List<Worker> withRoom = new ArrayList<>();
    for (Worker worker : available) {
      if (load(model, worker) < capacity) {
        withRoom.add(worker);
      }
    }
    if (withRoom.isEmpty()) {
      return new Route.Full();
    }
    Worker chosen = runnerHint
        .flatMap(hint -> withRoom.stream().filter(w -> w.name().equals(hint)).findFirst())
        .orElseGet(() -> twoChoices(model, withRoom));
    inFlight.merge(new Replica(model.key(), chosen.uid()), 1, Integer::sum);
    return new Route.Assigned(new Lease(this, model, chosen));
  }

  /**
   * Calls {@code listener} with the model each time a lease closes, so a queue can route its next
   * request. Called on the closing thread, outside the router's lock; it must not block.
   */
  public void onSlotFreed(Consumer<ModelKey> listener) {
    slotFreedListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Requests now running for {@code model} on {@code worker}. */
  public synchronized int inFlight(ModelKey model, Worker worker) {
    return inFlight.getOrDefault(new Replica(model, worker.uid()), 0);
  }

  /** Requests now running for {@code model}, summed over its workers (those that left routing too). */
  public synchronized int inFlight(ModelKey model) {
    return inFlight.entrySet().stream().filter(entry -> entry.getKey().model().equals(model))
        .mapToInt(Map.Entry::getValue).sum();
  }

  private Worker twoChoices(RoutableModel model, List<Worker> withRoom) {
    int n = withRoom.size();
    if (n == 1) {
      return withRoom.getFirst();
    }
    int first = random.nextInt(n);
    int second = random.nextInt(n - 1);
    if (second >= first) {
      second++;
    }
    Worker a = withRoom.get(first);
    Worker b = withRoom.get(second);
    return load(model, b) < load(model, a) ? b : a;
  }

  private int load(RoutableModel model, Worker worker) {
    return inFlight.getOrDefault(new Replica(model.key(), worker.uid()), 0);
  }

  void release(ModelKey model, Worker worker) {
    synchronized (this) {
      inFlight.computeIfPresent(new Replica(model, worker.uid()), (replica, count) -> count > 1 ? count - 1 : null);
    }
    slotFreedListeners.forEach(listener -> listener.accept(model));
  }

  synchronized void eject(Worker worker) {
    Instant until = clock.instant().plus(settings.ejection());
    ejected.put(worker.uid(), until);
    LOG.warn("worker ejected after a connection failure worker={} ip={} until={}", worker.name(), worker.ip(), until);
  }

  /** A model on one worker. */
  private record Replica(ModelKey model, String workerUid) {}
}
