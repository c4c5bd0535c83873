package dev.kiln.operator.residency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerStateTest {

  private static final long GI = 1L << 30;

  @Test
  void aLoadFitsOnlyNextToWhatTheWorkerHoldsNow() {
    var worker = new WorkerState("w-a", 16 * GI, true, false, Map.of("filler", 10 * GI));

    assertThat(worker.hasRoomFor("wide", 6 * GI)).isTrue();
    assertThat(worker.hasRoomFor("wide", 10 * GI)).as("the model moving away is still there").isFalse();
  }

  @Test
  void anOlderVersionOfTheSameModelIsReplacedSoItDoesNotCount() {
    var worker = new WorkerState("w-a", 16 * GI, true, false, Map.of("wide", 10 * GI));

    assertThat(worker.hasRoomFor("wide", 12 * GI)).isTrue();
  }
}
