package dev.kiln.runtime.task;

/**
 * One kind of model (its {@code spec.task}): how a model of that kind is loaded, warmed and
 * invoked. Implementations are found through {@link java.util.ServiceLoader}, so a new task is one
 * class plus a line in {@code META-INF/services/dev.kiln.runtime.task.Task}.
 */
public interface Task {

  /** The task's name as a Model's {@code spec.task} spells it, e.g. {@code tensor}. */
  String name();

  /** Whether the task needs a model file; one that does not (e.g. {@code synthetic}) gets no source. */
  default boolean needsModelFile() {
    return true;
  }

  /**
   * Loads the model and runs a warm-up inference, so the first real request is as fast as the
   * second. Throws when the model cannot serve, with a message that says what is wrong.
   */
  ServableModel load(ModelLoad load) throws ModelLoadException;
}
