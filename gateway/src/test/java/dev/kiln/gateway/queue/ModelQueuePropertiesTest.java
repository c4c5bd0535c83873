package dev.kiln.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The queue's invariants, each checked after every step of a seeded random sequence of offers, cancellations, takes
 * and clock moves across both lanes, against a plain list kept in arrival order. A failure names its seed.
 */
class ModelQueuePropertiesTest {

  private static final int STEPS = 400;

  static LongStream seeds() {
    return LongStream.range(1, 201);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void behavesLikeTwoFifoLanesWithNormalFirstAndDeadlines(long seed) {
    Random random = new Random(seed);
    ManualClock clock = new ManualClock();
    int capacity = 5 + random.nextInt(30);
    ModelQueue queue = new ModelQueue(capacity, clock);
    List<QueuedRequest> waiting = new ArrayList<>(); // in arrival order, expired ones removed when the clock moves
    Set<String> started = new HashSet<>();
    Set<String> cancelled = new HashSet<>();
    Set<String> expiredByModel = new HashSet<>();
    Set<String> expiredReported = new HashSet<>();
    int nextId = 0;

    for (int step = 0; step < STEPS; step++) {
      int action = random.nextInt(10);
      if (action < 4) {
        QueuedRequest request = randomRequest(random, clock.instant(), "r" + nextId++);
        OptionalInt callerLimit = random.nextInt(4) == 0 ? OptionalInt.of(random.nextInt(10)) : OptionalInt.empty();
        OfferResult result = queue.offer(request, callerLimit);
        boolean overCallerLimit = callerLimit.isPresent() && waiting.size() > callerLimit.getAsInt();
        if (overCallerLimit || waiting.size() >= capacity) {
          assertThat(result).as("seed %d step %d offer", seed, step).isInstanceOf(OfferResult.Refused.class);
        } else {
          waiting.add(request);
          assertThat(result).as("seed %d step %d offer", seed, step)
              .isEqualTo(new OfferResult.Accepted(expectedPosition(waiting, request)));
        }
      } else if (action < 6) {
        String id = waiting.isEmpty() || random.nextInt(4) == 0
            ? "r" + random.nextInt(nextId + 1)
            : waiting.get(random.nextInt(waiting.size())).requestId();
        boolean wasWaiting = waiting.removeIf(r -> r.requestId().equals(id));
        assertThat(queue.cancel(id)).as("seed %d step %d cancel %s", seed, step, id).isEqualTo(wasWaiting);
        if (wasWaiting) {
          cancelled.add(id);
        }
      } else if (action < 8) {
        Dispatch dispatch = queue.poll();
        Optional<QueuedRequest> expected = waiting.stream().filter(r -> r.lane() == Lane.NORMAL).findFirst()
            .or(() -> waiting.stream().filter(r -> r.lane() == Lane.LOW).findFirst());
        assertThat(dispatch.next()).as("seed %d step %d take", seed, step).isEqualTo(expected);
        dispatch.next().ifPresent(request -> {
          assertThat(request.expiredAt(clock.instant())).isFalse();
          waiting.remove(request);
          started.add(request.requestId());
        });
        dispatch.expired().forEach(r -> assertThat(expiredReported.add(r.requestId())).isTrue());
      } else if (action < 9) {
        clock.advance(Duration.ofMillis(random.nextInt(3_000)));
        waiting.removeIf(r -> r.expiredAt(clock.instant()) && expiredByModel.add(r.requestId()));
      } else {
        queue.expireDue().forEach(r -> assertThat(expiredReported.add(r.requestId())).isTrue());
      }

      for (QueuedRequest request : waiting) {
        assertThat(queue.position(request.requestId())).as("seed %d step %d position of %s", seed, step, request)
            .hasValue(expectedPosition(waiting, request));
      }
      long normals = waiting.stream().filter(r -> r.lane() == Lane.NORMAL).count();
      assertThat(queue.depth()).as("seed %d step %d depth", seed, step)
          .isEqualTo(new QueueDepth((int) normals, waiting.size() - (int) normals));
    }

    queue.expireDue().forEach(r -> assertThat(expiredReported.add(r.requestId())).isTrue());
    assertThat(expiredReported).as("seed %d: every expired request reported once", seed).isEqualTo(expiredByModel);
    assertThat(intersection(started, cancelled)).as("seed %d: started and cancelled", seed).isEmpty();
    assertThat(intersection(started, expiredReported)).as("seed %d: started and expired", seed).isEmpty();
    assertThat(intersection(cancelled, expiredReported)).as("seed %d: cancelled and expired", seed).isEmpty();
  }

  /** Normal ones ahead in arrival order, plus every normal one for a low request. */
  private static int expectedPosition(List<QueuedRequest> waiting, QueuedRequest request) {
    int ahead = 0;
    for (QueuedRequest other : waiting) {
      if (other == request) {
        break;
      }
      if (other.lane() == request.lane()) {
        ahead++;
      }
    }
    if (request.lane() == Lane.LOW) {
      ahead += (int) waiting.stream().filter(r -> r.lane() == Lane.NORMAL).count();
    }
    return ahead;
  }

  private static QueuedRequest randomRequest(Random random, Instant now, String id) {
    Lane lane = random.nextBoolean() ? Lane.NORMAL : Lane.LOW;
    Optional<Instant> deadline =
        random.nextInt(3) == 0 ? Optional.of(now.plusMillis(1 + random.nextInt(10_000))) : Optional.empty();
    return new QueuedRequest(id, lane, deadline);
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    return both;
  }
}
