package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CtrlCTest {
  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void whileKilnRunsCtrlCInterruptsTheMainThread() {
    CtrlC ctrlC = new CtrlC(Thread.currentThread());

    ctrlC.pressed();

    assertThat(ctrlC.wasPressed()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void onceTheStopHasBegunCtrlCNoLongerInterruptsIt() {
    CtrlC ctrlC = new CtrlC(Thread.currentThread());
    ctrlC.pressed();

    ctrlC.stopping();
    assertThat(Thread.currentThread().isInterrupted()).as("an interrupt that landed before the stop is cleared").isFalse();
    ctrlC.pressed();

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(ctrlC.wasPressed()).isTrue();
  }
}
