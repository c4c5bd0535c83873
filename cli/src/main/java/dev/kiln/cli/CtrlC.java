package dev.kiln.cli;

import java.util.concurrent.CountDownLatch;

/**
 * What Ctrl-C does to {@code kiln dev}'s main thread: while Kiln starts or runs, it marks the stop as asked and
 * interrupts whatever the main thread waits for; once the orderly stop has begun ({@link #stopping()}), it only
 * marks, so no late interrupt can cut the stop short.
 */
final class CtrlC {
  private final Thread main;
  private final CountDownLatch asked = new CountDownLatch(1);
  private boolean mainInterruptible = true;

  CtrlC(Thread main) {
    this.main = main;
  }

  synchronized void pressed() {
    asked.countDown();
    if (mainInterruptible) {
      main.interrupt();
    }
  }

  boolean wasPressed() {
    return asked.getCount() == 0;
  }

  void await() throws InterruptedException {
    asked.await();
  }

  /** From here on the main thread is not interrupted; clears an interrupt that already landed. */
  synchronized void stopping() {
    mainInterruptible = false;
    Thread.interrupted();
  }
}
