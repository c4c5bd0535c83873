package dev.kiln.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.operator.leader.LeaderElectionSettings;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorSettingsTest {

  private static final String IMAGE = "kiln-runtime:1";

  @TempDir
  Path dir;

  @Test
  void watchesTheListedNamespaces() {
    OperatorSettings settings = outOfCluster(Map.of("KILN_WATCH_NAMESPACES", " ml, vision ,"));

    assertThat(settings.namespaces()).isEqualTo(Set.of("ml", "vision"));
    assertThat(settings.runtimeImage()).isEqualTo(IMAGE);
  }

  @Test
  void watchesEveryNamespaceByDefault() {
    assertThat(outOfCluster(Map.of()).namespaces()).isEmpty();
  }

  @Test
  void needsARuntimeImage() {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of(), dir.resolve("namespace")))
        .hasMessageContaining("KILN_RUNTIME_IMAGE is not set");
  }

  @Test
  void servesHttpOn8080ByDefaultOrTheGivenPort() {
    assertThat(outOfCluster(Map.of()).httpPort()).isEqualTo(8080);
    assertThat(outOfCluster(Map.of("KILN_OPERATOR_HTTP_PORT", "9090")).httpPort()).isEqualTo(9090);
    assertThat(outOfCluster(Map.of("KILN_OPERATOR_HTTP_PORT", "0")).httpPort()).isZero();
  }

  @Test
  void refusesAPortThatIsNotOne() {
    assertThatThrownBy(() -> outOfCluster(Map.of("KILN_OPERATOR_HTTP_PORT", "http")))
        .hasMessage("KILN_OPERATOR_HTTP_PORT must be a port from 0 to 65535, got 'http'");
    assertThatThrownBy(() -> outOfCluster(Map.of("KILN_OPERATOR_HTTP_PORT", "65536")))
        .hasMessageContaining("KILN_OPERATOR_HTTP_PORT must be a port from 0 to 65535");
  }

  @Test
  void electsALeaderInAClusterWithTheLeaseInThePodsNamespaceAndThePodsName() throws Exception {
    Path namespaceFile = Files.writeString(dir.resolve("namespace"), "kiln-system\n");

    OperatorSettings settings = OperatorSettings.fromEnvironment(
        Map.of("KILN_RUNTIME_IMAGE", IMAGE, "KUBERNETES_SERVICE_HOST", "10.96.0.1", "HOSTNAME", "kiln-operator-7d9f-x2"),
        namespaceFile);

    assertThat(settings.leaderElection()).hasValueSatisfying(election -> {
      assertThat(election.leaseNamespace()).isEqualTo("kiln-system");
      assertThat(election.identity()).isEqualTo("kiln-operator-7d9f-x2");
      assertThat(election.leaseDuration()).isEqualTo(new LeaderElectionSettings("ns", "id").leaseDuration());
    });
  }

  @Test
  void theOperatorNamespaceAndPodNameWin() throws Exception {
    Path namespaceFile = Files.writeString(dir.resolve("namespace"), "kiln-system");

    OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of("KILN_RUNTIME_IMAGE", IMAGE,
        "KUBERNETES_SERVICE_HOST", "10.96.0.1", "KILN_OPERATOR_NAMESPACE", "ops", "POD_NAME", "kiln-operator-0",
        "HOSTNAME", "host"), namespaceFile);

    assertThat(settings.leaderElection()).get()
        .extracting(LeaderElectionSettings::leaseNamespace, LeaderElectionSettings::identity)
        .containsExactly("ops", "kiln-operator-0");
  }

  @Test
  void leaderElectionIsOffOutOfAClusterUnlessAskedFor() {
    assertThat(outOfCluster(Map.of()).leaderElection()).isEmpty();

    OperatorSettings asked = outOfCluster(Map.of("KILN_LEADER_ELECTION", "TRUE", "KILN_OPERATOR_NAMESPACE", "ml"));

    assertThat(asked.leaderElection()).get().extracting(LeaderElectionSettings::leaseNamespace).isEqualTo("ml");
    assertThat(asked.leaderElection().orElseThrow().identity()).isNotBlank();
  }

  @Test
  void leaderElectionCanBeTurnedOffInACluster() throws Exception {
    Path namespaceFile = Files.writeString(dir.resolve("namespace"), "kiln-system");

    assertThat(OperatorSettings.fromEnvironment(Map.of("KILN_RUNTIME_IMAGE", IMAGE,
        "KUBERNETES_SERVICE_HOST", "10.96.0.1", "KILN_LEADER_ELECTION", "false"), namespaceFile).leaderElection())
        .isEmpty();
  }

  @Test
  void leaderElectionNeedsANamespaceForItsLease() {
    assertThatThrownBy(() -> outOfCluster(Map.of("KILN_LEADER_ELECTION", "true")))
        .hasMessageContaining("set KILN_OPERATOR_NAMESPACE");
  }

  @Test
  void refusesALeaderElectionSwitchThatIsNeitherTrueNorFalse() {
    assertThatThrownBy(() -> outOfCluster(Map.of("KILN_LEADER_ELECTION", "yes")))
        .hasMessage("KILN_LEADER_ELECTION must be true or false, got 'yes'");
  }

  /** Settings with the runtime image set, outside a cluster (no namespace file). */
  private OperatorSettings outOfCluster(Map<String, String> env) {
    Map<String, String> withImage = new HashMap<>(env);
    withImage.put("KILN_RUNTIME_IMAGE", IMAGE);
    return OperatorSettings.fromEnvironment(withImage, dir.resolve("namespace"));
  }

  @Test
  void readsTheAutoscalerSettingsAndRefusesABadOneByName() {
    OperatorSettings settings = OperatorSettings.fromEnvironment(
        Map.of("KILN_RUNTIME_IMAGE", IMAGE, "KILN_AUTOSCALER_SCALE_DOWN_DELAY", "2m"), dir.resolve("namespace"));
    assertThat(settings.autoscaler().scaleDownDelay()).isEqualTo(Duration.ofMinutes(2));

    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(
        Map.of("KILN_RUNTIME_IMAGE", IMAGE, "KILN_AUTOSCALER_INTERVAL", "fast"), dir.resolve("namespace")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_AUTOSCALER_INTERVAL");
  }

  @Test
  void readsTheDrainSettingsAndRefusesABadOneByName() {
    OperatorSettings settings = OperatorSettings.fromEnvironment(
        Map.of("KILN_RUNTIME_IMAGE", IMAGE, "KILN_DRAIN_TIMEOUT", "45s"), dir.resolve("namespace"));
    assertThat(settings.drain().timeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings.drain().poll()).isEqualTo(Duration.ofSeconds(1));

    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(
        Map.of("KILN_RUNTIME_IMAGE", IMAGE, "KILN_DRAIN_POLL", "often"), dir.resolve("namespace")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_DRAIN_POLL");
  }
}
