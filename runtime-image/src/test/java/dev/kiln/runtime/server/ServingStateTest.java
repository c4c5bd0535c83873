package dev.kiln.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServingStateTest {

  @Test
  void drainingRefusesNewWorkAndTurnsUnready() {
    var state = new ServingState();
    state.markReady();
    assertThat(state.isReady()).isTrue();
    assertThat(state.tryEnter()).isTrue();

    state.startDraining();

    assertThat(state.isReady()).isFalse();
    assertThat(state.tryEnter()).isFalse();
    assertThat(state.inFlight()).isEqualTo(1);
  }

  @Test
  void awaitIdleReturnsWhenTheLastRequestLeaves() throws Exception {
    var state = new ServingState();
    state.tryEnter();
    state.startDraining();

    CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
      try {
        return state.awaitIdle(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    state.exit();

    assertThat(idle.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void awaitIdleGivesUpAfterTheGracePeriod() throws Exception {
    var state = new ServingState();
    state.tryEnter();

    assertThat(state.awaitIdle(Duration.ofMillis(50))).isFalse();
  }
}
