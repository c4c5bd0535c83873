package dev.kiln.runtime.task;

import java.time.Duration;

/** Dynamic batching: at most {@code maxBatchSize} rows run together, a request waits at most {@code maxDelay}. */
public record BatchingSettings(int maxBatchSize, Duration maxDelay) {

  public static final BatchingSettings OFF = new BatchingSettings(1, Duration.ZERO);

  public BatchingSettings {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("batching.maxBatchSize must be 1 or more, got " + maxBatchSize);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("batching.maxDelayMillis must not be negative, got " + maxDelay.toMillis());
    }
  }

  public boolean enabled() {
    return maxBatchSize > 1;
  }
}
