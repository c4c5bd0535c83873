package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.operator.model.LoadsInFlight.Failed;
import dev.kiln.operator.model.LoadsInFlight.Key;
import dev.kiln.operator.model.LoadsInFlight.Loaded;
import dev.kiln.operator.model.LoadsInFlight.Progress;
import dev.kiln.operator.model.LoadsInFlight.Running;
import dev.kiln.operator.runtime.LoadedModel;
import dev.kiln.operator.runtime.WorkerAdminException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LoadsInFlightTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Key KEY = new Key("model-uid", "pod-uid");

  private final LoadsInFlight loads = new LoadsInFlight();

  @Test
  void aRunningLoadIsReportedUntilItsResultIsHandedOutOnce() {
    var release = new CountDownLatch(1);
    var model = new LoadedModel("m", "v1", 1024, 1500);
    loads.start(KEY, "v1", NOW, () -> {
      block(release);
      return model;
    });

    assertThat(loads.poll(KEY)).contains(new Running("v1", NOW));
    release.countDown();

    assertThat(awaitEnd()).isEqualTo(new Loaded("v1", model));
    assertThat(loads.poll(KEY)).isEmpty();
  }

  @Test
  void aRefusedLoadGivesTheWorkersMessage() {
    loads.start(KEY, "v2", NOW, () -> {
      throw new WorkerAdminException(422, "sha256 mismatch for file:///m.onnx");
    });

    assertThat(awaitEnd()).isEqualTo(new Failed("v2", "sha256 mismatch for file:///m.onnx"));
  }

  @Test
  void loadsOnPodsThatAreGoneAreForgotten() {
    var never = new CountDownLatch(1);
    loads.start(KEY, "v1", NOW, () -> {
      block(never);
      return null;
    });
    Key otherModel = new Key("other-uid", "pod-uid");
    loads.start(otherModel, "v1", NOW, () -> {
      block(never);
      return null;
    });

    loads.retain("model-uid", Set.of("another-pod"));

    assertThat(loads.poll(KEY)).isEmpty();
    assertThat(loads.poll(otherModel)).containsInstanceOf(Running.class);
    never.countDown();
  }

  private Progress awaitEnd() {
    return await("the load ends").atMost(Duration.ofSeconds(10))
        .until(() -> loads.poll(KEY), progress -> progress.filter(Running.class::isInstance).isEmpty())
        .orElseThrow();
  }

  private static void block(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
