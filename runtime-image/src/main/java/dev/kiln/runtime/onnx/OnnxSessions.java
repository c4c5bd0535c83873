package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * ONNX Runtime on this worker: creates sessions on the execution provider chosen once, and runs
 * inference on a fixed set of platform threads. A native call holds the thread it runs on; made
 * from a virtual thread it would hold one of the few carrier threads, and with more concurrent
 * requests than cores the others, HTTP included, would starve (seconds of tail latency, seen in
 * {@code bench/runtime-vs-onnxruntime.sh}). Requests instead wait their turn in FIFO order.
 */
public final class OnnxSessions implements AutoCloseable {

  private static final long STACK_BYTES = 16L << 20;

  private final OrtEnvironment environment;
  private final ExecutionProvider provider;
  private final ExecutorService executionThreads;

  private OnnxSessions(OrtEnvironment environment, ExecutionProvider provider, ExecutorService executionThreads) {
    this.environment = environment;
    this.provider = provider;
    this.executionThreads = executionThreads;
  }

  /** Starts ONNX Runtime, chooses its execution provider for this worker's GPUs, and runs at most {@code threads} inferences at once. */
  public static OnnxSessions start(ExecutionProvider.GpuPresence gpu, int threads) {
    OrtEnvironment environment = LargeStack.call(OrtEnvironment::getEnvironment, RuntimeException.class);
    ThreadFactory factory = Thread.ofPlatform().name("kiln-inference-", 0).daemon().stackSize(STACK_BYTES).factory();
    return new OnnxSessions(environment, ExecutionProvider.choose(gpu, OrtEnvironment.getAvailableProviders()),
        Executors.newFixedThreadPool(threads, factory));
  }

  /** Runs {@code work} on an execution thread, and reports how long it waited for one and how long it ran. */
  public <T> Timed<T> execute(OrtWork<T> work) throws OrtException, InterruptedException {
    long submitted = System.nanoTime();
    Future<Timed<T>> future = executionThreads.submit(() -> {
      long started = System.nanoTime();
      T value = work.call();
      return new Timed<>(value, System.nanoTime() - started, started - submitted);
    });
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case OrtException failed -> throw failed;
        case RuntimeException failed -> throw failed;
        case Error failed -> throw failed;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  @Override
  public void close() {
    executionThreads.shutdownNow();
  }

  public OrtEnvironment environment() {
    return environment;
  }

  public ExecutionProvider provider() {
    return provider;
  }

  public OrtSession open(Path modelFile, SessionSettings settings) throws OrtException {
    return LargeStack.call(() -> create(modelFile, settings), OrtException.class);
  }

  private OrtSession create(Path modelFile, SessionSettings settings) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(settings.interOpThreads());
      options.setOptimizationLevel(settings.optLevel());
      options.setCPUArenaAllocator(settings.memoryArena());
      if (provider.cuda()) {
        options.addCUDA(0);
      }
      return environment.createSession(modelFile.toString(), options);
    }
  }
}
