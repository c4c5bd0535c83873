package dev.kiln.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.local.controlplane.MonitoringTools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kiln's alerts with the real promtool: the rules are valid, and each alert fires in the situation
 * it is meant for and not in a similar one (helm/src/test/resources/alerts-test.yaml); the chart's
 * PrometheusRule carries exactly those rules.
 */
class AlertRulesIT {

  private static final Path RULES = Helm.CHART.resolve("files").resolve("alerts.yaml");
  private static final Path RULE_TESTS = Path.of("src", "test", "resources", "alerts-test.yaml").toAbsolutePath();

  @TempDir
  static Path home;

  @Test
  void theRulesAreValid() throws Exception {
    String printed = promtool("check", "rules", RULES.toString());

    assertThat(printed).contains("SUCCESS: 7 rules found");
  }

  @Test
  void eachAlertFiresForItsSituationAndOnlyThen() throws Exception {
    String printed = promtool("test", "rules", RULE_TESTS.getFileName().toString());

    assertThat(printed).contains("SUCCESS");
  }

  @Test
  void theChartsPrometheusRuleHoldsTheseRules() throws Exception {
    List<HasMetadata> objects = ChartTemplateIT.objects(new Helm(home).template("kiln-system",
        "--set", "monitoring.prometheusRule.enabled=true", "--show-only", "templates/prometheusrule.yaml"));

    assertThat(objects).singleElement().isInstanceOf(GenericKubernetesResource.class);
    Object spec = ((GenericKubernetesResource) objects.getFirst()).getAdditionalProperties().get("spec");
    assertThat(spec).isEqualTo(Serialization.unmarshal(Files.readString(RULES, StandardCharsets.UTF_8), Map.class));
  }

  /** Runs promtool in the rule tests' directory and answers what it printed; throws unless it exits 0. */
  private static String promtool(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(MonitoringTools.locate().promtool().toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(RULE_TESTS.getParent().toFile()).redirectErrorStream(true)
        .start();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(printed).isZero();
    return printed;
  }
}
