package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.Residency;
import dev.kiln.crds.model.ResidencyPolicy;
import dev.kiln.crds.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * When an OnDemand model was last in demand, and whether it has gone unused past its {@code
 * residency.idleTimeout}. Applying a Model counts as demand, so a new OnDemand model is loaded and
 * stays for one idle timeout even before its first request. The time lives in the status ({@code
 * lastRequestTime}), so a restarted operator neither unloads a model early nor forgets it.
 */
public final class ModelIdleness {

  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  private ModelIdleness() {}

  /** The names of {@code models} that are idle at {@code now} by what their status records. */
  public static Set<String> idleByStatus(List<Model> models, Instant now) {
    return models.stream()
        .filter(model -> idle(model, lastRequest(model, Optional.empty()), now))
        .map(model -> model.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  /**
   * The latest of the Model's creation, the last request its status records and {@code seen}, the
   * last demand the signals showed.
   */
  static Instant lastRequest(Model model, Optional<Instant> seen) {
    Instant created = Instant.parse(model.getMetadata().getCreationTimestamp());
    Optional<Instant> recorded = Optional.ofNullable(model.getStatus())
        .map(status -> status.getLastRequestTime())
        .map(Instant::parse);
    return Stream.of(Optional.of(created), recorded, seen)
        .flatMap(Optional::stream)
        .max(Instant::compareTo)
        .orElseThrow();
  }

  /** Whether {@code model} is OnDemand and has had no request for its idle timeout or longer. */
  static boolean idle(Model model, Instant lastRequest, Instant now) {
    Residency residency = model.getSpec().getResidency();
    if (residency != null && residency.getPolicy() == ResidencyPolicy.HOT) {
      return false;
    }
    return !Duration.between(lastRequest, now).minus(idleTimeout(residency)).isNegative();
  }

  private static Duration idleTimeout(Residency residency) {
    return residency == null || residency.getIdleTimeout() == null
        ? DEFAULT_IDLE_TIMEOUT
        : DurationText.parse(residency.getIdleTimeout());
  }
}
