package dev.kiln.operator.residency;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The planner's answer.
 *
 * @param placement the models each worker should hold, for every worker in the input (draining
 *     ones hold nothing)
 * @param outcomes per model, by name
 * @param additionalWorkersNeeded how many more empty workers of the pool's size would let every
 *     model short for {@link ShortfallReason#NO_CAPACITY} reach its target
 * @param moves the loads and unloads that turn the current residency into {@code placement}:
 *     unloads first, then by worker and model
 */
public record Plan(
    SortedMap<String, SortedSet<String>> placement,
    SortedMap<String, ModelOutcome> outcomes,
    int additionalWorkersNeeded,
    List<Move> moves) {

  public Plan {
    var frozen = new TreeMap<String, SortedSet<String>>();
    placement.forEach((worker, models) -> frozen.put(worker, Collections.unmodifiableSortedSet(new TreeSet<>(models))));
    placement = Collections.unmodifiableSortedMap(frozen);
    outcomes = Collections.unmodifiableSortedMap(new TreeMap<>(outcomes));
    moves = List.copyOf(moves);
  }
}
