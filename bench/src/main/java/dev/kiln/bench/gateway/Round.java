package dev.kiln.bench.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What one round measured: each candidate at each fixed rate, and at saturation. */
final class Round {

  private final Map<String, Map<Double, LoadSummary>> fixed = new LinkedHashMap<>();
  private final Map<String, WrkSaturation.Result> saturation = new LinkedHashMap<>();

  void fixed(String candidate, double rate, LoadSummary summary) {
    fixed.computeIfAbsent(candidate, name -> new LinkedHashMap<>()).put(rate, summary);
  }

  void saturation(String candidate, WrkSaturation.Result result) {
    saturation.put(candidate, result);
  }

  Optional<LoadSummary> fixed(String candidate, double rate) {
    return Optional.ofNullable(fixed.getOrDefault(candidate, Map.of()).get(rate));
  }

  Optional<WrkSaturation.Result> saturation(String candidate) {
    return Optional.ofNullable(saturation.get(candidate));
  }
}
