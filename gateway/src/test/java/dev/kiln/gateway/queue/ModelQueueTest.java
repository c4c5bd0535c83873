package dev.kiln.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.testing.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModelQueueTest {

  private final ManualClock clock = new ManualClock();
  private final ModelQueue queue = new ModelQueue(100, clock);

  @Test
  void startsNormalRequestsBeforeLowOnesAndEachLaneInArrivalOrder() {
    offer("low-1", Lane.LOW);
    offer("normal-1", Lane.NORMAL);
    offer("low-2", Lane.LOW);
    offer("normal-2", Lane.NORMAL);

    assertThat(takeAll()).containsExactly("normal-1", "normal-2", "low-1", "low-2");
  }

  @Test
  void positionCountsEveryNormalRequestAheadOfALowOne() {
    assertThat(offer("low-1", Lane.LOW)).isEqualTo(new OfferResult.Accepted(0));
    assertThat(offer("normal-1", Lane.NORMAL)).isEqualTo(new OfferResult.Accepted(0));
    assertThat(offer("low-2", Lane.LOW)).isEqualTo(new OfferResult.Accepted(2));
    offer("normal-2", Lane.NORMAL);

    assertThat(queue.position("normal-1")).hasValue(0);
    assertThat(queue.position("normal-2")).hasValue(1);
    assertThat(queue.position("low-1")).hasValue(2);
    assertThat(queue.position("low-2")).hasValue(3);
  }

  @Test
  void positionCountsDownAsRequestsAheadLeave() {
    offer("a", Lane.NORMAL);
    offer("b", Lane.NORMAL);
    offer("c", Lane.NORMAL);

    queue.cancel("a");
    assertThat(queue.position("c")).hasValue(1);
    queue.poll();
    assertThat(queue.position("c")).hasValue(0);
  }

  @Test
  void aRequestThatIsNotWaitingHasNoPosition() {
    offer("started", Lane.NORMAL);
    queue.poll();

    assertThat(queue.position("started")).isEmpty();
    assertThat(queue.position("never-queued")).isEmpty();
  }

  @Test
  void cancelRemovesAWaitingRequestAtOnce() {
    offer("a", Lane.NORMAL);
    offer("b", Lane.LOW);

    assertThat(queue.cancel("a")).isTrue();

    assertThat(queue.position("a")).isEmpty();
    assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 1));
    assertThat(takeAll()).containsExactly("b");
  }

  @Test
  void cancelOfARequestThatAlreadyStartedChangesNothing() {
    offer("a", Lane.NORMAL);
    queue.poll();

    assertThat(queue.cancel("a")).isFalse();
    assertThat(queue.cancel("unknown")).isFalse();
  }

  @Test
  void refusesWhenMoreThanTheCallersMaxQueueLengthAlreadyWait() {
    offer("a", Lane.NORMAL);
    offer("b", Lane.NORMAL);

    assertThat(queue.offer(QueuedRequest.withoutDeadline("c", Lane.NORMAL), OptionalInt.of(2)))
        .isEqualTo(new OfferResult.Accepted(2));
    OfferResult refused = queue.offer(QueuedRequest.withoutDeadline("d", Lane.NORMAL), OptionalInt.of(2));

    assertThat(refused).isEqualTo(new OfferResult.Refused(OfferResult.Reason.CALLER_LIMIT, 3, 2));
    assertThat(((OfferResult.Refused) refused).message()).contains("fal_max_queue_length=2");
    assertThat(queue.position("d")).isEmpty();
  }

  @Test
  void refusesWhenTheModelsQueueIsFull() {
    ModelQueue small = new ModelQueue(2, clock);
    small.offer(QueuedRequest.withoutDeadline("a", Lane.NORMAL), OptionalInt.empty());
    small.offer(QueuedRequest.withoutDeadline("b", Lane.LOW), OptionalInt.empty());

    OfferResult refused = small.offer(QueuedRequest.withoutDeadline("c", Lane.NORMAL), OptionalInt.empty());

    assertThat(refused).isEqualTo(new OfferResult.Refused(OfferResult.Reason.QUEUE_FULL, 2, 2));
    assertThat(small.depth()).isEqualTo(new QueueDepth(1, 1));
  }

  @Test
  void rejectsARequestIdThatIsAlreadyWaiting() {
    offer("a", Lane.NORMAL);

    assertThatThrownBy(() -> offer("a", Lane.LOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");
  }

  @Test
  void neverHandsOutARequestWhoseStartDeadlinePassedAndReportsItOnce() {
    offerWithDeadline("late", Lane.NORMAL, Duration.ofSeconds(5));
    offer("patient", Lane.LOW);
    clock.advance(Duration.ofSeconds(5));

    Dispatch dispatch = queue.poll();

    assertThat(dispatch.next().map(QueuedRequest::requestId)).hasValue("patient");
    assertThat(dispatch.expired()).extracting(QueuedRequest::requestId).containsExactly("late");
    assertThat(queue.poll().expired()).isEmpty();
  }

  @Test
  void anExpiredRequestLeavesPositionsAndDepthAtOnce() {
    offerWithDeadline("late", Lane.NORMAL, Duration.ofSeconds(5));
    offer("behind", Lane.NORMAL);
    assertThat(queue.position("behind")).hasValue(1);

    clock.advance(Duration.ofSeconds(6));

    assertThat(queue.position("behind")).hasValue(0);
    assertThat(queue.position("late")).isEmpty();
    assertThat(queue.depth()).isEqualTo(new QueueDepth(1, 0));
    assertThat(queue.expireDue()).extracting(QueuedRequest::requestId).containsExactly("late");
    assertThat(queue.expireDue()).isEmpty();
  }

  @Test
  void aRequestBeforeItsDeadlineStaysQueued() {
    offerWithDeadline("a", Lane.NORMAL, Duration.ofSeconds(5));
    clock.advance(Duration.ofSeconds(4));

    assertThat(queue.expireDue()).isEmpty();
    assertThat(queue.poll().next().map(QueuedRequest::requestId)).hasValue("a");
  }

  @Test
  void expiredRequestsDoNotCountAgainstTheBounds() {
    ModelQueue small = new ModelQueue(1, clock);
    small.offer(new QueuedRequest("late", Lane.NORMAL, Optional.of(clock.instant().plusSeconds(1))), OptionalInt.empty());
    clock.advance(Duration.ofSeconds(1));

    assertThat(small.offer(QueuedRequest.withoutDeadline("b", Lane.NORMAL), OptionalInt.empty()))
        .isEqualTo(new OfferResult.Accepted(0));
    assertThat(small.expireDue()).extracting(QueuedRequest::requestId).containsExactly("late");
  }

  @Test
  void nextStartDeadlineIsTheEarliestOfTheWaitingRequests() {
    assertThat(queue.nextStartDeadline()).isEmpty();
    offerWithDeadline("later", Lane.NORMAL, Duration.ofSeconds(9));
    offerWithDeadline("sooner", Lane.LOW, Duration.ofSeconds(3));
    offer("patient", Lane.NORMAL);

    assertThat(queue.nextStartDeadline()).hasValue(clock.instant().plusSeconds(3));
    queue.cancel("sooner");
    assertThat(queue.nextStartDeadline()).hasValue(clock.instant().plusSeconds(9));
  }

  @Test
  void takeReturnsEmptyAfterItsTimeoutWhenNothingArrives() throws InterruptedException {
    assertThat(queue.take(Duration.ofMillis(20)).isEmpty()).isTrue();
  }

  @Test
  void takeReturnsAtOnceWhenARequestIsWaiting() throws InterruptedException {
    offer("a", Lane.NORMAL);

    assertThat(queue.take(Duration.ofDays(1)).next().map(QueuedRequest::requestId)).hasValue("a");
  }

  @Test
  void anOfferWakesAWaitingTake() throws Exception {
    CompletableFuture<Dispatch> taken = CompletableFuture.supplyAsync(() -> {
      try {
        return queue.take(Duration.ofMinutes(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    offer("a", Lane.NORMAL);

    assertThat(taken.get(30, TimeUnit.SECONDS).next().map(QueuedRequest::requestId)).hasValue("a");
  }

  private OfferResult offer(String id, Lane lane) {
    return queue.offer(QueuedRequest.withoutDeadline(id, lane), OptionalInt.empty());
  }

  private void offerWithDeadline(String id, Lane lane, Duration startWithin) {
    queue.offer(new QueuedRequest(id, lane, Optional.of(clock.instant().plus(startWithin))), OptionalInt.empty());
  }

  private List<String> takeAll() {
    List<String> order = new ArrayList<>();
    for (Dispatch d = queue.poll(); d.next().isPresent(); d = queue.poll()) {
      order.add(d.next().get().requestId());
    }
    return order;
  }
}
