package dev.kiln.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.testing.time.ManualClock;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ModelQueuesTest {

  private final ModelQueues queues = new ModelQueues(10, new ManualClock());

  @Test
  void keepsOneQueuePerModelAndReportsEachDepth() {
    queues.forModel("acme/flux").offer(QueuedRequest.withoutDeadline("a", Lane.NORMAL), OptionalInt.empty());
    queues.forModel("acme/flux").offer(QueuedRequest.withoutDeadline("b", Lane.LOW), OptionalInt.empty());
    queues.forModel("acme/sdxl").offer(QueuedRequest.withoutDeadline("c", Lane.LOW), OptionalInt.empty());

    assertThat(queues.forModel("acme/flux")).isSameAs(queues.forModel("acme/flux"));
    assertThat(queues.depths()).isEqualTo(Map.of(
        "acme/flux", new QueueDepth(1, 1),
        "acme/sdxl", new QueueDepth(0, 1)));
  }

  @Test
  void rejectsACapacityBelowOne() {
    assertThatThrownBy(() -> new ModelQueues(0, new ManualClock())).hasMessageContaining("at least 1");
  }
}
