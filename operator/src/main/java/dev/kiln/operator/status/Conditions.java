package dev.kiln.operator.status;

import dev.kiln.crds.status.ConditionReason;
import dev.kiln.crds.status.ConditionType;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Builds the conditions of one status: a condition keeps its {@code lastTransitionTime} from
 * {@code previous} unless its status flips.
 *
 * @param previous the conditions of the status being replaced (never null)
 * @param generation the generation the new status describes
 * @param now when a condition that flips is said to have flipped
 */
public record Conditions(List<Condition> previous, long generation, Instant now) {

  public Conditions {
    previous = previous == null ? List.of() : List.copyOf(previous);
  }

  public Condition of(ConditionType type, boolean status, ConditionReason reason, String message) {
    String value = status ? "True" : "False";
    String since = previous.stream()
        .filter(c -> type.type().equals(c.getType()) && value.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .findFirst()
        .orElseGet(() -> now.truncatedTo(ChronoUnit.SECONDS).toString());
    return condition(type, value, reason, message, since);
  }

  /**
   * A condition whose {@code lastTransitionTime} is {@code since}, whatever {@code previous} says:
   * for a reason whose start the controller tracks itself, e.g. when a pool's surplus began.
   */
  public Condition since(ConditionType type, boolean status, ConditionReason reason, String message, Instant since) {
    return condition(type, status ? "True" : "False", reason, message, since.truncatedTo(ChronoUnit.SECONDS).toString());
  }

  private Condition condition(ConditionType type, String value, ConditionReason reason, String message, String since) {
    return new ConditionBuilder()
        .withType(type.type())
        .withStatus(value)
        .withReason(reason.reason())
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}
