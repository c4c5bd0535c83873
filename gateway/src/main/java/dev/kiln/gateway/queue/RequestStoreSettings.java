package dev.kiln.gateway.queue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RequestStore} keeps requests.
 *
 * @param retention how long a completed request's status and result stay readable
 * @param spillThresholdBytes result bodies larger than this are written to {@code spillDirectory}
 * @param memoryBudgetBytes the most bytes of result bodies held in memory at once; a body that would go over it is
 *     spilled too
 * @param spillDirectory where spilled bodies go, created when missing; each file is deleted on expiry and on close
 * @param expiredIdsRemembered how many expired request ids are remembered to answer "expired" rather than "not found"
 */
public record RequestStoreSettings(
    Duration retention,
    long spillThresholdBytes,
    long memoryBudgetBytes,
    Path spillDirectory,
    int expiredIdsRemembered) {

  public RequestStoreSettings {
    Objects.requireNonNull(spillDirectory, "spillDirectory");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("The result retention must be positive, got " + retention);
    }
    if (spillThresholdBytes < 0 || memoryBudgetBytes < 0) {
      throw new IllegalArgumentException("The spill threshold and memory budget must not be negative, got "
          + spillThresholdBytes + " and " + memoryBudgetBytes);
    }
    if (expiredIdsRemembered < 0) {
      throw new IllegalArgumentException("expiredIdsRemembered must not be negative, got " + expiredIdsRemembered);
    }
  }
}
