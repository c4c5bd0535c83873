package dev.kiln.operator.usage;

import java.util.Objects;

/** The key of busy time: a model on the pool whose workers served it. */
public record PoolModel(PoolRef pool, String model) {

  public PoolModel {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(model, "model");
  }
}
