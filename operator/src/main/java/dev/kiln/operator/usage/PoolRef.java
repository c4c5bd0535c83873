package dev.kiln.operator.usage;

import java.util.Objects;

/** A GpuPool by namespace and name; usage is kept per pool. */
public record PoolRef(String namespace, String name) {

  public PoolRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }
}
