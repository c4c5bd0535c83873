package dev.kiln.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaneTest {

  @Test
  void parsesTheQueuePriorityHeader() {
    assertThat(Lane.fromHeader("normal")).isEqualTo(Lane.NORMAL);
    assertThat(Lane.fromHeader(" LOW ")).isEqualTo(Lane.LOW);
    assertThatThrownBy(() -> Lane.fromHeader("high")).hasMessageContaining("'normal' or 'low'");
  }

  @Test
  void theQueuePriorityHeaderOverridesTheKeysDefaultLane() {
    assertThat(Lane.forRequest(Optional.empty(), Lane.LOW)).isEqualTo(Lane.LOW);
    assertThat(Lane.forRequest(Optional.of("normal"), Lane.LOW)).isEqualTo(Lane.NORMAL);
    assertThat(Lane.forRequest(Optional.of("low"), Lane.NORMAL)).isEqualTo(Lane.LOW);
  }
}
