package dev.kiln.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The router's invariants under random sequences of routes, releases, connection failures and
 * changing replica sets. Each case is driven by its seed, which a failure names.
 */
class RouterPropertiesTest {

  private static final ModelKey KEY = new ModelKey("ml", "resnet");
  private static final Duration EJECTION = Duration.ofSeconds(5);

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void picksOnlyAvailableReplicasAndNeverExceedsCapacity(long seed) {
    var random = new SplittableRandom(seed);
    var clock = new ManualClock();
    int perTarget = 1 + random.nextInt(3);
    var router = new Router(new RouterSettings(perTarget, EJECTION), clock, random.split());
    List<Worker> pool = IntStream.range(0, 1 + random.nextInt(8))
        .mapToObj(i -> new Worker("w-" + i, "uid-" + seed + "-" + i, "10.0.0." + i))
        .toList();
    int targetConcurrency = 1 + random.nextInt(4);
    int capacity = targetConcurrency * perTarget;
    List<Lease> open = new ArrayList<>();
    Map<String, java.time.Instant> ejectedUntil = new HashMap<>();

    for (int step = 0; step < 300; step++) {
      List<Worker> replicas = pool.stream().filter(w -> random.nextInt(5) > 0).toList();
      RoutableModel model = new RoutableModel(KEY, Optional.of("v1"), targetConcurrency, replicas);
      int action = random.nextInt(10);
      if (action < 6) {
        Optional<String> hint = random.nextBoolean() ? Optional.of("w-" + random.nextInt(10)) : Optional.empty();
        Route route = router.route(model, hint);
        var now = clock.instant();
        List<Worker> available = replicas.stream()
            .filter(w -> !ejectedUntil.containsKey(w.uid()) || !now.isBefore(ejectedUntil.get(w.uid())))
            .toList();
        switch (route) {
          case Route.Assigned(Lease lease) -> {
            assertThat(available).as("seed %d step %d", seed, step).contains(lease.worker());
            open.add(lease);
          }
          case Route.Full() -> assertThat(available).as("seed %d step %d: full", seed, step)
              .allSatisfy(w -> assertThat(router.inFlight(KEY, w)).isEqualTo(capacity));
          case Route.NoReplica() -> assertThat(available).as("seed %d step %d: no replica", seed, step).isEmpty();
        }
      } else if (action < 9 && !open.isEmpty()) {
        open.remove(random.nextInt(open.size())).close();
      } else if (!open.isEmpty()) {
        Lease failed = open.remove(random.nextInt(open.size()));
        failed.connectionFailed();
        ejectedUntil.put(failed.worker().uid(), clock.instant().plus(EJECTION));
      } else {
        clock.advance(Duration.ofSeconds(1));
      }
      for (Worker worker : pool) {
        assertThat(router.inFlight(KEY, worker)).as("seed %d step %d in-flight on %s", seed, step, worker.name())
            .isBetween(0, capacity);
      }
    }
    open.forEach(Lease::close);
    pool.forEach(worker -> assertThat(router.inFlight(KEY, worker)).as("released all on %s", worker.name()).isZero());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void spreadsLoadEvenlyOverReplicas(long seed) {
    var random = new SplittableRandom(seed);
    var router = new Router(new RouterSettings(1, EJECTION), new ManualClock(), random.split());
    List<Worker> workers = IntStream.range(0, 8).mapToObj(i -> new Worker("w-" + i, "uid-" + i, "10.0.0." + i)).toList();
    RoutableModel model = new RoutableModel(KEY, Optional.of("v1"), 1_000, workers);
    List<Lease> open = new ArrayList<>();

    for (int i = 0; i < 2_000; i++) {
      open.add(RouterTest.assigned(router.route(model, Optional.empty())));
      if (random.nextInt(3) == 0) {
        open.remove(random.nextInt(open.size())).close();
      }
    }

    IntSummaryStatistics load = workers.stream().mapToInt(w -> router.inFlight(KEY, w)).summaryStatistics();
    assertThat(load.getMax() - load.getMin()).as("seed %d: in-flight spread %s", seed, load)
        .isLessThanOrEqualTo(12);
  }
}
