package dev.kiln.operator.residency;

/**
 * One change for the reconciler to apply to a worker.
 *
 * @param action load or unload
 * @param worker the worker's name
 * @param model the model's name
 */
public record Move(Action action, String worker, String model) {

  /** What to do with the model on the worker. */
  public enum Action {
    UNLOAD,
    LOAD
  }
}
