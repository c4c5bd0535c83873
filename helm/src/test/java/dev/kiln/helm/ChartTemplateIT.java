package dev.kiln.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.local.controlplane.HelmCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code helm lint} and {@code helm template} with the real helm (an IT: the build provisions helm
 * before the integration tests), for the defaults and with every option on.
 */
class ChartTemplateIT {

  @TempDir
  static Path home;
  private static Helm helm;

  @BeforeAll
  static void helm() {
    helm = new Helm(home);
  }

  @Test
  void lintPassesForTheDefaultsAndWithEveryOptionOn() throws Exception {
    HelmCommand.Result defaults = helm.run("lint", "--strict", Helm.CHART.toString());
    HelmCommand.Result everything = helm.run("lint", "--strict", Helm.CHART.toString(), "-f", Helm.ALL_OPTIONS.toString());

    assertThat(defaults.exitCode()).as(defaults.describe()).isZero();
    assertThat(everything.exitCode()).as(everything.describe()).isZero();
  }

  @Test
  void theDefaultsRenderTheOperatorAndTheGatewayWithRestrictedSecurity() throws Exception {
    List<HasMetadata> objects = objects(helm.template("kiln-system"));

    assertThat(kinds(objects)).containsEntry("Deployment", 2L).containsEntry("Service", 1L)
        .containsEntry("PodDisruptionBudget", 2L).containsEntry("NetworkPolicy", 2L)
        .containsEntry("ServiceAccount", 2L).containsEntry("ClusterRole", 2L)
        .doesNotContainKeys("HorizontalPodAutoscaler", "PodMonitor", "PrometheusRule");
    for (Deployment deployment : deployments(objects)) {
      var pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      for (Container container : pod.getContainers()) {
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getImage()).startsWith("ghcr.io/kiln-dev/kiln-").endsWith(":0.1.0");
        assertThat(container.getReadinessProbe()).isNotNull();
      }
    }
    Deployment gateway = deployment(objects, "kiln-gateway");
    assertThat(env(gateway)).containsKeys("KILN_GATEWAY_POD_NAME", "KILN_GATEWAY_POD_NAMESPACE")
        .doesNotContainKeys("KILN_GATEWAY_TLS_CERT", "KILN_GATEWAY_WEBHOOK_KEY");
    assertThat(gateway.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts())
        .extracting(port -> port.getName() + ":" + port.getContainerPort())
        .containsExactly("run:8080", "queue:8081", "ops:8082");
    assertThat(env(deployment(objects, "kiln-operator")))
        .containsEntry("KILN_RUNTIME_IMAGE", "ghcr.io/kiln-dev/kiln-runtime:0.1.0")
        .containsEntry("KILN_LEADER_ELECTION", "true").containsEntry("KILN_GATEWAY_NAMESPACE", "kiln-system");
  }

  @Test
  void everyOptionOnRendersItsObjects() throws Exception {
    List<HasMetadata> objects = objects(helm.template("kiln-system", "-f", Helm.ALL_OPTIONS.toString()));

    assertThat(kinds(objects)).containsEntry("HorizontalPodAutoscaler", 1L).containsEntry("PodMonitor", 2L)
        .containsEntry("PrometheusRule", 1L)
        .containsEntry("NetworkPolicy", 4L);
    assertThat(objects).filteredOn(object -> object.getKind().equals("NetworkPolicy"))
        .extracting(object -> object.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("ml", "batch", "gpu-pools", "kiln-system");
    Deployment gateway = deployment(objects, "kiln-gateway");
    assertThat(gateway.getSpec().getReplicas()).as("the HPA sizes it").isNull();
    assertThat(env(gateway)).containsEntry("KILN_GATEWAY_TLS_CERT", "/etc/kiln/tls/tls.crt")
        .containsEntry("KILN_GATEWAY_WEBHOOK_KEY", "/etc/kiln/webhook/key.pem")
        .containsEntry("KILN_WATCH_NAMESPACES", "ml,batch").containsEntry("KILN_GATEWAY_QUEUE_CAPACITY", "5000")
        .containsEntry("KILN_GATEWAY_WEBHOOK_ALLOW", "10.20.0.0/16,hooks.internal.example.com")
        .containsEntry("KILN_GATEWAY_DATABASE_CONNECTIONS", "20").containsEntry("KILN_GATEWAY_LEASE_TIME", "15s");
    assertThat(gateway.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
        .filteredOn(variable -> variable.getName().startsWith("KILN_GATEWAY_DATABASE_") && variable.getValueFrom() != null)
        .extracting(variable -> variable.getName() + "=" + variable.getValueFrom().getSecretKeyRef().getName() + ":"
            + variable.getValueFrom().getSecretKeyRef().getKey())
        .containsExactlyInAnyOrder("KILN_GATEWAY_DATABASE_URL=kiln-postgres:url",
            "KILN_GATEWAY_DATABASE_USER=kiln-postgres:user", "KILN_GATEWAY_DATABASE_PASSWORD=kiln-postgres:password");
    assertThat(kinds(objects)).containsEntry("StatefulSet", 1L);
    assertThat(gateway.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(75L);
    assertThat(deployment(objects, "kiln-operator").getSpec().getTemplate().getSpec().getContainers().getFirst()
        .getImage()).isEqualTo("registry.example.com/kiln/kiln-operator:0.1.0");
  }

  @Test
  void anExistingDatabaseIsReachedThroughItsSecretAndNoneIsInstalled() throws Exception {
    List<HasMetadata> objects = objects(helm.template("kiln-system", "--set", "gateway.database.secretName=kiln-db"));

    assertThat(kinds(objects)).doesNotContainKey("StatefulSet");
    assertThat(deployment(objects, "kiln-gateway").getSpec().getTemplate().getSpec().getContainers().getFirst()
        .getEnv()).filteredOn(variable -> variable.getName().equals("KILN_GATEWAY_DATABASE_URL"))
        .singleElement().satisfies(url -> assertThat(url.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kiln-db"));
    HelmCommand.Result both = helm.run("template", "kiln", Helm.CHART.toString(), "--set", "gateway.database.secretName=kiln-db",
        "--set", "gateway.database.inChart.enabled=true");
    assertThat(both.exitCode()).isNotZero();
    assertThat(both.stderr()).contains("not both");
  }

  @Test
  void aBadValueIsRefusedNamingIt() throws Exception {
    assertRefused("gateway.replicas=0", "at '/gateway/replicas': minimum: got 0, want 1");
    assertRefused("gateway.shutdownGrace=soon", "at '/gateway/shutdownGrace': 'soon' does not match pattern");
    assertRefused("gateway.replica=3", "at '/gateway': additional properties 'replica' not allowed");
    assertRefused("image.pullPolicy=Sometimes", "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent'");
  }

  private static void assertRefused(String setting, String... inMessage) throws Exception {
    HelmCommand.Result result = helm.run("template", "kiln", Helm.CHART.toString(), "--set", setting);

    assertThat(result.exitCode()).as(setting + ": " + result.describe()).isNotZero();
    assertThat(result.stderr()).as(setting).contains("values don't meet the specifications of the schema")
        .contains(inMessage);
  }

  static List<HasMetadata> objects(String yaml) {
    List<HasMetadata> objects = new java.util.ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
        Object parsed = Serialization.unmarshal(document);
        objects.add(parsed instanceof HasMetadata object ? object : Serialization.unmarshal(document,
            GenericKubernetesResource.class));
      }
    }
    return objects;
  }

  private static Map<String, Long> kinds(List<HasMetadata> objects) {
    return objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting()));
  }

  private static List<Deployment> deployments(List<HasMetadata> objects) {
    return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
  }

  private static Deployment deployment(List<HasMetadata> objects, String name) {
    return deployments(objects).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  private static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
        .collect(Collectors.toMap(variable -> variable.getName(),
            variable -> variable.getValue() == null ? "<from " + variable.getValueFrom() + ">" : variable.getValue()));
  }
}
