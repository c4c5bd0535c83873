package dev.kiln.runtime.onnx;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs native ONNX Runtime set-up (the environment, a session) on a platform thread of its own
 * with a 16 MiB stack, apart from the execution threads so a load never delays inference. Creating the
 * environment needs more than the JVM's default 1-2 MiB thread stack: on a default-sized thread
 * (including a virtual thread's carrier) ONNX Runtime 1.29 overflows it and the process dies with
 * SIGSEGV, before the JVM can report anything.
 */
final class LargeStack {

  private static final long STACK_BYTES = 16L << 20;

  private LargeStack() {}

  static <T, E extends Exception> T call(Callable<T> work, Class<E> failure) throws E {
    var result = new CompletableFuture<T>();
    Thread thread = Thread.ofPlatform().name("kiln-onnx-setup").stackSize(STACK_BYTES).start(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    try {
      thread.join();
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up ONNX Runtime", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (failure.isInstance(cause)) {
        throw failure.cast(cause);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }
}
