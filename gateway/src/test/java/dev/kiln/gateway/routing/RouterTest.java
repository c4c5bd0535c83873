package dev.kiln.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RouterTest {

  private static final ModelKey KEY = new ModelKey("ml", "resnet");
  private static final Worker A = new Worker("w-a", "uid-a", "10.0.0.1");
  private static final Worker B = new Worker("w-b", "uid-b", "10.0.0.2");
  private static final Worker C = new Worker("w-c", "uid-c", "10.0.0.3");

  private final ManualClock clock = new ManualClock();
  private final Router router = new Router(new RouterSettings(1, Duration.ofSeconds(10)), clock, new SplittableRandom(7));

  @Test
  void sendsToTheOnlyReplicaNamingTheVersionTheModelsStatusRoutesTo() {
    Lease lease = assigned(router.route(model(2, A), Optional.empty()));

    assertThat(lease.worker()).isEqualTo(A);
    assertThat(lease.runUri()).hasToString("http://10.0.0.1:8080/models/resnet/run?version=v1");
    assertThat(lease.inferUri()).hasToString("http://10.0.0.1:8080/v2/models/resnet/infer?version=v1");
    assertThat(router.inFlight(KEY, A)).isEqualTo(1);
  }

  @Test
  void aModelsInFlightRequestsAreSummedOverItsWorkersAndNotOtherModels() {
    RoutableModel model = model(5, A, B);
    Lease first = assigned(router.route(model, Optional.of("w-a")));
    assigned(router.route(model, Optional.of("w-b")));
    assigned(router.route(model, Optional.of("w-b")));
    assigned(router.route(new RoutableModel(new ModelKey("ml", "other"), Optional.of("v1"), 5, List.of(A)),
        Optional.empty()));

    assertThat(router.inFlight(KEY)).isEqualTo(3);
    first.close();
    assertThat(router.inFlight(KEY)).isEqualTo(2);
    assertThat(router.inFlight(new ModelKey("ml", "unknown"))).isZero();
  }

  @Test
  void saysNoReplicaWhenTheModelIsResidentNowhere() {
    assertThat(router.route(model(1), Optional.empty())).isInstanceOf(Route.NoReplica.class);
  }

  @Test
  void saysFullAtTargetConcurrencyTimesTheSettingAndHasRoomAgainOnceALeaseCloses() {
    var twoPerTarget = new Router(new RouterSettings(2, Duration.ofSeconds(10)), clock, new SplittableRandom(1));
    RoutableModel model = model(3, A);
    List<Lease> leases = IntStream.range(0, 6)
        .mapToObj(i -> assigned(twoPerTarget.route(model, Optional.empty())))
        .toList();

    assertThat(twoPerTarget.route(model, Optional.empty())).isInstanceOf(Route.Full.class);
    leases.getFirst().close();
    assertThat(assigned(twoPerTarget.route(model, Optional.empty())).worker()).isEqualTo(A);
  }

  @Test
  void prefersTheLessLoadedOfTwoReplicas() {
    RoutableModel model = model(5, A, B);
    assigned(router.route(model, Optional.of("w-a")));
    assigned(router.route(model, Optional.of("w-a")));

    assertThat(assigned(router.route(model, Optional.empty())).worker()).isEqualTo(B);
  }

  @Test
  void honoursTheRunnerHintWhenThatReplicaHasRoom() {
    RoutableModel model = model(2, A, B, C);
    assigned(router.route(model, Optional.of("w-c")));

    assertThat(assigned(router.route(model, Optional.of("w-c"))).worker()).isEqualTo(C);
  }

  @Test
  void ignoresAHintForAFullReplicaOrAWorkerThatIsNotAReplica() {
    RoutableModel model = model(1, A, B);
    assigned(router.route(model, Optional.of("w-a")));

    assertThat(assigned(router.route(model, Optional.of("w-a"))).worker()).isEqualTo(B);
    assertThat(router.route(model(1, A, B, C), Optional.of("w-unknown"))).isInstanceOf(Route.Assigned.class);
  }

  @Test
  void closingALeaseTwiceReleasesOneSlot() {
    RoutableModel model = model(2, A);
    Lease first = assigned(router.route(model, Optional.empty()));
    assigned(router.route(model, Optional.empty()));

    first.close();
    first.close();

    assertThat(router.inFlight(KEY, A)).isEqualTo(1);
  }

  @Test
  void tellsListenersOnceEachTimeALeaseFreesItsSlot() {
    List<ModelKey> freed = new ArrayList<>();
    router.onSlotFreed(freed::add);
    Lease lease = assigned(router.route(model(1, A), Optional.empty()));

    lease.close();
    lease.close();
    assigned(router.route(model(1, A), Optional.empty())).connectionFailed();

    assertThat(freed).containsExactly(KEY, KEY);
  }

  @Test
  void aWorkerThatFailedAConnectionGetsNothingUntilTheEjectionEnds() {
    RoutableModel model = model(10, A, B);
    Lease onA = assigned(router.route(model, Optional.of("w-a")));

    onA.connectionFailed();

    assertThat(router.inFlight(KEY, A)).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(assigned(router.route(model, Optional.of("w-a"))).worker()).isEqualTo(B);
    }
    clock.advance(Duration.ofSeconds(10));
    assertThat(assigned(router.route(model, Optional.of("w-a"))).worker()).isEqualTo(A);
  }

  @Test
  void whenEveryReplicaIsEjectedThereIsNoReplicaButAReplacementPodIsANewWorker() {
    assigned(router.route(model(1, A), Optional.empty())).connectionFailed();

    assertThat(router.route(model(1, A), Optional.empty())).isInstanceOf(Route.NoReplica.class);
    Worker replacement = new Worker("w-a", "uid-a2", "10.0.0.9");
    assertThat(assigned(router.route(model(1, replacement), Optional.empty())).worker()).isEqualTo(replacement);
  }

  @Test
  void countsEachModelOnAWorkerSeparately() {
    var other = new RoutableModel(new ModelKey("ml", "sd"), Optional.of("v1"), 1, List.of(A));
    assigned(router.route(model(1, A), Optional.empty()));

    assertThat(assigned(router.route(other, Optional.empty())).worker()).isEqualTo(A);
  }

  static RoutableModel model(int targetConcurrency, Worker... workers) {
    return new RoutableModel(KEY, Optional.of("v1"), targetConcurrency, List.of(workers));
  }

  static Lease assigned(Route route) {
    assertThat(route).isInstanceOf(Route.Assigned.class);
    return ((Route.Assigned) route).lease();
  }
}
