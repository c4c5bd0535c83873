package dev.kiln.operator.model;

import dev.kiln.crds.status.ConditionReason;

/**
 * A load that a worker refused or that did not reach it.
 *
 * @param worker the worker pod's name; null when the load was not sent to any worker
 * @param reason the condition reason the message maps to
 * @param message the worker's explanation
 */
public record LoadFailure(String worker, ConditionReason reason, String message) {

  /** The failure for a worker's explanation, with its reason from {@link LoadFailureReason}. */
  public static LoadFailure of(String worker, String message) {
    return new LoadFailure(worker, LoadFailureReason.of(message), message);
  }

  /** A load not sent to any worker because the model's source credentials are missing. */
  static LoadFailure untried(SourceCredentials.Missing missing) {
    return new LoadFailure(null, missing.reason(), missing.message());
  }
}
