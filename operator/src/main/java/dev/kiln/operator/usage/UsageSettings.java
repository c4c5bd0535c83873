package dev.kiln.operator.usage;

import dev.kiln.crds.DurationText;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.leader.LeaderElectionSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How usage is collected, from the operator's environment:
 *
 * <ul>
 *   <li>{@code KILN_USAGE_INTERVAL}: time between collections, a duration such as {@code 500ms},
 *       {@code 5s} or {@code 1m}; 5 s by default
 *   <li>{@code KILN_OPERATOR_NAMESPACE}: where the checkpoint ConfigMap lives; by default the
 *       Lease's namespace, else (out of a cluster, without leader election) the first watched
 *       namespace in alphabetical order, else {@code default}
 * </ul>
 *
 * @param namespace the namespace of the checkpoint ConfigMap
 * @param interval time between collections
 * @param scrapeTimeout how long one worker's {@code /stats} may take before it is skipped
 */
public record UsageSettings(String namespace, Duration interval, Duration scrapeTimeout) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  public UsageSettings {
    Objects.requireNonNull(namespace, "namespace");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("KILN_USAGE_INTERVAL must be positive, got " + interval);
    }
  }

  public static UsageSettings fromEnvironment(Map<String, String> env, OperatorSettings operator) {
    String namespace = value(env, "KILN_OPERATOR_NAMESPACE")
        .or(() -> operator.leaderElection().map(LeaderElectionSettings::leaseNamespace))
        .or(() -> operator.namespaces().stream().sorted().findFirst())
        .orElse("default");
    Duration interval = value(env, "KILN_USAGE_INTERVAL").map(UsageSettings::duration).orElse(DEFAULT_INTERVAL);
    // A scrape must not hold up the next tick; a skipped one is made up by the next.
    Duration timeout = interval.compareTo(Duration.ofSeconds(2)) < 0 ? interval : Duration.ofSeconds(2);
    return new UsageSettings(namespace, interval, timeout);
  }

  private static Duration duration(String value) {
    try {
      return DurationText.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("KILN_USAGE_INTERVAL must be a duration such as 500ms, 5s or 1m, got '"
          + value + "'");
    }
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
  }
}
