package dev.kiln.operator.model;

import dev.kiln.crds.status.ConditionReason;
import java.util.List;

/** Turns a worker's explanation of a failed load into a condition reason. */
public final class LoadFailureReason {

  /** How the runtime words a source it could not fetch: a missing local file, an HTTP error, a broken download. */
  private static final List<String> UNREACHABLE = List.of(
      "does not exist on this node", "answered HTTP", "download of");

  private LoadFailureReason() {}

  public static ConditionReason of(String message) {
    if (message == null) {
      return ConditionReason.LOAD_FAILED;
    }
    if (message.contains("sha256 mismatch")) {
      return ConditionReason.CHECKSUM_MISMATCH;
    }
    if (UNREACHABLE.stream().anyMatch(message::contains)) {
      return ConditionReason.SOURCE_UNREACHABLE;
    }
    return ConditionReason.LOAD_FAILED;
  }
}
