package dev.kiln.operator.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The recent signals of one model, immutable.
 *
 * <p>Counters are turned into increases worker by worker, so that a worker leaving or joining the
 * model's replicas is not read as a drop or a burst of load: a worker's first reading is its
 * baseline, and a counter that went backwards (its runtime restarted) increased from zero. A
 * worker that could not be read keeps its last counters, so its next reading covers the gap.
 * Gateways are sources the same way: each gateway's {@code arrived} counter is turned into
 * increases on its own, and a restarted gateway counts from zero again.
 *
 * <p>Requests a gateway runs are the same requests its workers run, so a sample's in-flight
 * requests are the larger of the two counts, plus those queued at the gateways: by Little's law
 * the model is asked to serve all of them at once.
 */
public final class SignalSeries {

  /** The samples of the retention, oldest first. */
  private final List<SeriesPoint> points;
  /** When the uninterrupted history began: the first sample, or the first after a stale gap. */
  private final Optional<Instant> since;
  /** Each worker's last counters. */
  private final Map<String, WorkerSignal> counters;
  /** When each worker last answered. */
  private final Map<String, Instant> lastSeen;
  /** Why each worker of the latest sample could not be read. */
  private final Map<String, String> unread;
  /** Each gateway's last counters. */
  private final Map<String, GatewaySignal> gatewayCounters;
  /** Why each gateway of the latest sample could not be read. */
  private final Map<String, String> unreadGateways;
  /** The latest sample that showed a request in flight or finished; kept however old it is. */
  private final Optional<Instant> lastDemand;

  private SignalSeries(List<SeriesPoint> points, Optional<Instant> since, Map<String, WorkerSignal> counters,
      Map<String, Instant> lastSeen, Map<String, String> unread, Map<String, GatewaySignal> gatewayCounters,
      Map<String, String> unreadGateways, Optional<Instant> lastDemand) {
    this.points = List.copyOf(points);
    this.since = since;
    this.counters = Map.copyOf(counters);
    this.lastSeen = Map.copyOf(lastSeen);
    this.unread = Map.copyOf(unread);
    this.gatewayCounters = Map.copyOf(gatewayCounters);
    this.unreadGateways = Map.copyOf(unreadGateways);
    this.lastDemand = lastDemand;
  }

  public static SignalSeries empty() {
    return new SignalSeries(List.of(), Optional.empty(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Optional.empty());
  }

  /**
   * This series with {@code sample} added and points older than {@code retention} dropped. A
   * sample not newer than the latest is ignored; one that follows a gap longer than {@code
   * staleAfter} starts the history again.
   */
  public SignalSeries with(SignalSample sample, Duration retention, Duration staleAfter) {
    Optional<Instant> latest = latest();
    if (latest.isPresent() && !sample.at().isAfter(latest.get())) {
      return this;
    }
    var nextSeen = new HashMap<>(lastSeen);
    int inFlight = 0;
    int queued = 0;
    long finished = 0;
    long busy = 0;
    for (var entry : sample.workers().entrySet()) {
      WorkerSignal now = entry.getValue();
      WorkerSignal before = counters.get(entry.getKey());
      inFlight += now.inFlight();
      queued += now.queued();
      if (before != null) {
        finished += increase(before.finished(), now.finished());
        busy += increase(before.busyNanos(), now.busyNanos());
      }
      nextSeen.put(entry.getKey(), sample.at());
    }
    Map<String, WorkerSignal> nextCounters = nextCounters(counters, sample.workers(), sample.unread().keySet());
    nextSeen.keySet().retainAll(nextCounters.keySet());
    int gatewayInFlight = 0;
    int gatewayQueued = 0;
    long arrived = 0;
    for (var entry : sample.gateways().entrySet()) {
      GatewaySignal now = entry.getValue();
      GatewaySignal before = gatewayCounters.get(entry.getKey());
      gatewayInFlight += now.inFlight();
      gatewayQueued += now.queued();
      if (before != null) {
        arrived += increase(before.arrived(), now.arrived());
      }
    }
    boolean gap = latest.isEmpty() || Duration.between(latest.get(), sample.at()).compareTo(staleAfter) > 0;
    var nextPoints = new ArrayList<SeriesPoint>();
    if (!gap) {
      Instant oldest = sample.at().minus(retention);
      points.stream().filter(point -> !point.at().isBefore(oldest)).forEach(nextPoints::add);
    }
    var point = new SeriesPoint(sample.at(), Math.max(inFlight, gatewayInFlight) + gatewayQueued, queued + gatewayQueued,
        finished, busy, arrived);
    nextPoints.add(point);
    boolean inUse = point.inFlight() > 0 || point.finishedIncrease() > 0 || point.arrivedIncrease() > 0
        || !sample.unread().isEmpty();
    return new SignalSeries(nextPoints, gap ? Optional.of(sample.at()) : since, nextCounters, nextSeen, sample.unread(),
        nextCounters(gatewayCounters, sample.gateways(), sample.unreadGateways().keySet()), sample.unreadGateways(),
        inUse ? Optional.of(sample.at()) : lastDemand);
  }

  /**
   * The counters of the sources {@code read} now, and of those {@code unread} the ones they had
   * {@code before}, so that their next reading covers the gap.
   */
  private static <S> Map<String, S> nextCounters(Map<String, S> before, Map<String, S> read, Set<String> unread) {
    var next = new HashMap<>(read);
    unread.stream().filter(before::containsKey).forEach(source -> next.put(source, before.get(source)));
    return next;
  }

  /**
   * When a sample last showed the model in use: a request in flight or queued, or one finished or
   * submitted to a gateway since the sample before. A worker that could not be read may be busy, so
   * a sample that misses one counts as use too: a missing signal never makes a model idle. A
   * gateway that could not be read does not: it would bring every idle model back at once, and
   * the workers of a model that has replicas show its use all the same.
   */
  public Optional<Instant> lastDemand() {
    return lastDemand;
  }

  /** When the latest sample was read. */
  public Optional<Instant> latest() {
    return points.isEmpty() ? Optional.empty() : Optional.of(points.getLast().at());
  }

  /** When the uninterrupted history began. */
  Optional<Instant> since() {
    return since;
  }

  /** The points of the {@code length} up to {@code now}. */
  LoadWindow window(Instant now, Duration length) {
    Instant start = now.minus(length);
    return new LoadWindow(points.stream().filter(point -> !point.at().isBefore(start) && !point.at().isAfter(now)).toList());
  }

  /** Why the latest sample misses some of the model's workers, e.g. {@code no signal from worker w-1 for 20s (refused)}. */
  Optional<String> missingWorkers(Instant now) {
    return new TreeMap<>(unread).entrySet().stream().findFirst().map(entry -> {
      Instant seen = lastSeen.get(entry.getKey());
      String since = seen == null ? "yet" : "for " + Duration.between(seen, now).toSeconds() + "s";
      String more = unread.size() > 1 ? " and %d more".formatted(unread.size() - 1) : "";
      return "no signal from worker %s %s (%s)%s".formatted(entry.getKey(), since, entry.getValue(), more);
    });
  }

  /** Why the latest sample misses some gateways, e.g. {@code no signal from gateway kiln/gw-1 (refused)}. */
  Optional<String> missingGateways() {
    return new TreeMap<>(unreadGateways).entrySet().stream().findFirst().map(entry -> {
      String more = unreadGateways.size() > 1 ? " and %d more".formatted(unreadGateways.size() - 1) : "";
      return "no signal from gateway %s (%s)%s".formatted(entry.getKey(), entry.getValue(), more);
    });
  }

  /** Requests running or waiting for the model at the latest sample; 0 before the first. */
  int latestInFlight() {
    return points.isEmpty() ? 0 : points.getLast().inFlight();
  }

  private static long increase(long before, long now) {
    return now >= before ? now - before : now;
  }
}
