package dev.kiln.runtime.task.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.task.ModelLoad;
import dev.kiln.runtime.task.ModelLoadException;
import dev.kiln.runtime.task.ServableModel;
import dev.kiln.runtime.task.Task;
import java.time.Duration;

/**
 * {@code synthetic}: a model with no file that takes {@code options.loadTimeMillis} to load (standing
 * in for the download and session creation of a large model), {@code options.serviceTimeMillis}
 * per request and declares {@code options.memoryBytes} of memory, so the control plane and
 * benchmarks can be exercised without GPUs. It answers with the input it was given.
 */
public final class SyntheticTask implements Task {

  /** How the load spends its time; a test records it instead of waiting. */
  @FunctionalInterface
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final Pause pause;

  public SyntheticTask() {
    this(Thread::sleep);
  }

  SyntheticTask(Pause pause) {
    this.pause = pause;
  }

  @Override
  public String name() {
    return "synthetic";
  }

  @Override
  public boolean needsModelFile() {
    return false;
  }

  @Override
  public ServableModel load(ModelLoad load) throws ModelLoadException {
    long loadMillis = nonNegative(load.options(), "loadTimeMillis");
    long serviceMillis = nonNegative(load.options(), "serviceTimeMillis");
    long memoryBytes = nonNegative(load.options(), "memoryBytes");
    if (loadMillis > 0) {
      try {
        pause.pause(Duration.ofMillis(loadMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelLoadException("the load of " + load.name() + " was interrupted: the worker is stopping", e);
      }
    }
    return new SyntheticModel(Duration.ofMillis(serviceMillis), memoryBytes);
  }

  private static long nonNegative(JsonNode options, String name) throws ModelLoadException {
    JsonNode value = options.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return 0;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
      throw new ModelLoadException("options." + name + " must be a whole number of 0 or more, got " + value);
    }
    return value.asLong();
  }
}
