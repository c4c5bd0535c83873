package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.operator.scaling.Decision;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScaleChangeTest {

  @Test
  void noChangeWithoutAnEarlierDecisionOrWithTheSameReplicas() {
    assertThat(ScaleChange.of(null, decision(3))).isEmpty();
    assertThat(ScaleChange.of(3, decision(3))).isEmpty();
  }

  @Test
  void upTellsBothNumbersAndTheReason() {
    ScaleChange change = ScaleChange.of(1, decision(3)).orElseThrow();
    assertThat(change.eventReason()).isEqualTo("ScaledUp");
    assertThat(change.direction()).isEqualTo("up");
    assertThat(change.message()).isEqualTo("desired replicas 1 → 3: because");
  }

  @Test
  void down() {
    ScaleChange change = ScaleChange.of(3, decision(1)).orElseThrow();
    assertThat(change.eventReason()).isEqualTo("ScaledDown");
    assertThat(change.direction()).isEqualTo("down");
  }

  private static Decision decision(int replicas) {
    return new Decision(replicas, "because", Optional.empty(), Optional.empty());
  }
}
