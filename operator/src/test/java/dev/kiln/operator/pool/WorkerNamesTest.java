package dev.kiln.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkerNamesTest {

  private final WorkerNames names = new WorkerNames(new SplittableRandom(7));

  @Test
  void addsARandomSuffixToThePoolsName() {
    assertThat(names.next("alpha")).matches("alpha-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(names.next("alpha")).isNotEqualTo(names.next("alpha"));
  }

  @Test
  void fitsALabelValue() {
    assertThat(names.next("p".repeat(253))).hasSize(63);
  }
}
