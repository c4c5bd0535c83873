package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnloadReasonTest {

  @Test
  void aDrainingWorkerOutranksIdlenessWhichOutranksScalingDown() {
    assertThat(UnloadReason.of(true, true, 0, 2)).isEqualTo(UnloadReason.WORKER_DRAINING);
    assertThat(UnloadReason.of(false, true, 0, 2)).isEqualTo(UnloadReason.IDLE);
    assertThat(UnloadReason.of(false, false, 1, 2)).isEqualTo(UnloadReason.SCALED_DOWN);
  }

  @Test
  void aReplicaMovedWhileTheModelKeepsItsCountWasEvicted() {
    UnloadReason reason = UnloadReason.of(false, false, 2, 2);

    assertThat(reason).isEqualTo(UnloadReason.EVICTED);
    assertThat(reason.eventReason()).isEqualTo("Evicted");
    assertThat(reason.tag()).isEqualTo("evicted");
  }
}
