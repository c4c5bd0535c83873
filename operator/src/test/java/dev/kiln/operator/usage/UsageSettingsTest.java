package dev.kiln.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.leader.LeaderElectionSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageSettingsTest {

  private static final OperatorSettings WATCHING = new OperatorSettings(Set.of("b", "a"), "image");

  @Test
  void theCheckpointLivesInTheOperatorsNamespace() {
    assertThat(UsageSettings.fromEnvironment(Map.of("KILN_OPERATOR_NAMESPACE", "kiln"), WATCHING).namespace()).isEqualTo("kiln");
    assertThat(UsageSettings.fromEnvironment(Map.of(), WATCHING.withLeaderElection(new LeaderElectionSettings("ops", "me")))
        .namespace()).isEqualTo("ops");
  }

  @Test
  void outOfAClusterTheCheckpointLivesInTheFirstWatchedNamespace() {
    assertThat(UsageSettings.fromEnvironment(Map.of(), WATCHING).namespace()).isEqualTo("a");
    assertThat(UsageSettings.fromEnvironment(Map.of(), new OperatorSettings(Set.of(), "image")).namespace()).isEqualTo("default");
  }

  @Test
  void theIntervalIsFiveSecondsUnlessSet() {
    assertThat(UsageSettings.fromEnvironment(Map.of(), WATCHING).interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(UsageSettings.fromEnvironment(Map.of("KILN_USAGE_INTERVAL", "30s"), WATCHING).interval()).isEqualTo(Duration.ofSeconds(30));
    UsageSettings fast = UsageSettings.fromEnvironment(Map.of("KILN_USAGE_INTERVAL", "500ms"), WATCHING);
    assertThat(fast.interval()).isEqualTo(Duration.ofMillis(500));
    assertThat(fast.scrapeTimeout()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aBadIntervalIsRefused() {
    assertThatThrownBy(() -> UsageSettings.fromEnvironment(Map.of("KILN_USAGE_INTERVAL", "PT5S"), WATCHING))
        .hasMessageContaining("KILN_USAGE_INTERVAL");
    assertThatThrownBy(() -> UsageSettings.fromEnvironment(Map.of("KILN_USAGE_INTERVAL", "0s"), WATCHING))
        .hasMessageContaining("KILN_USAGE_INTERVAL");
  }
}
