package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Optional;

/**
 * The GPU memory one replica of a model takes: what its spec declares until a runtime has
 * measured a load, then the larger of the two, so a model that understated its size is never
 * placed where it does not fit again.
 */
final class GpuMemory {

  private static final long[] BINARY_UNITS = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
  private static final String[] BINARY_SUFFIXES = {"Ti", "Gi", "Mi", "Ki"};

  private GpuMemory() {}

  /** The memory the planner counts for one replica of {@code model}. */
  static long effectiveBytes(Model model) {
    return Math.max(bytes(model.getSpec().getGpuMemory()), measuredBytes(model).orElse(0L));
  }

  /** What the model's status records as measured, if anything. */
  static Optional<Long> measuredBytes(Model model) {
    return Optional.ofNullable(model.getStatus())
        .map(status -> status.getMeasuredGpuMemory())
        .map(GpuMemory::bytes);
  }

  /** {@code bytes} as a quantity in the largest binary unit that divides it, e.g. {@code 4Gi}. */
  static Quantity quantity(long bytes) {
    for (int i = 0; i < BINARY_UNITS.length; i++) {
      if (bytes >= BINARY_UNITS[i] && bytes % BINARY_UNITS[i] == 0) {
        return new Quantity(bytes / BINARY_UNITS[i] + BINARY_SUFFIXES[i]);
      }
    }
    return new Quantity(Long.toString(bytes));
  }

  private static long bytes(Quantity quantity) {
    return quantity == null ? 0 : Quantity.getAmountInBytes(quantity).longValueExact();
  }
}
