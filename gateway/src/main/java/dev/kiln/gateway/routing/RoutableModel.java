package dev.kiln.gateway.routing;

import dev.kiln.crds.model.ModelTask;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model and the workers that serve it now.
 *
 * @param version the version routed to (the Model's {@code status.version}); empty until the
 *     operator has reported one, and then {@code workers} is empty too
 * @param targetConcurrency requests one replica should run at once ({@code spec.targetConcurrency})
 * @param workers ready workers where the model is resident at {@code version}, in name order
 * @param pricePerSecond what one second of the model's compute costs a key ({@code spec.pricePerSecond})
 * @param task what the model does ({@code spec.task}), which fixes the APIs it can be called through
 */
public record RoutableModel(ModelKey key, Optional<String> version, int targetConcurrency, List<Worker> workers,
    BigDecimal pricePerSecond, Optional<ModelTask> task) {

  /** A model without a price or a known task. */
  public RoutableModel(ModelKey key, Optional<String> version, int targetConcurrency, List<Worker> workers) {
    this(key, version, targetConcurrency, workers, BigDecimal.ZERO, Optional.empty());
  }

  public RoutableModel {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(version, "version");
    if (targetConcurrency < 1) {
      throw new IllegalArgumentException("targetConcurrency must be at least 1, got " + targetConcurrency);
    }
    workers = List.copyOf(workers);
    Objects.requireNonNull(pricePerSecond, "pricePerSecond");
    Objects.requireNonNull(task, "task");
  }
}
