package dev.kiln.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.KilnCrds;
import dev.kiln.local.controlplane.ClusterManifests;
import dev.kiln.local.controlplane.PrometheusOperatorCrds;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart as {@code helm template} renders it, installed on the real control plane. */
@LocalKubernetes
class ChartInstallIT {

  @TempDir
  static Path home;

  @Test
  void theDefaultsInstallAndEveryObjectIsAccepted(TestCluster cluster) throws Exception {
    KubernetesClient admin = cluster.admin();
    ClusterManifests.installCrds(admin, KilnCrds.NAMES.stream().map(KilnCrds::yaml).toList());
    List<HasMetadata> objects = ChartTemplateIT.objects(new Helm(home).template(cluster.namespace()));

    for (HasMetadata object : objects) {
      admin.resource(object).forceConflicts().serverSideApply();
    }

    assertThat(admin.apps().deployments().inNamespace(cluster.namespace()).list().getItems())
        .extracting(deployment -> deployment.getMetadata().getName())
        .containsExactlyInAnyOrder("kiln-operator", "kiln-gateway");
    assertThat(admin.services().inNamespace(cluster.namespace()).withName("kiln-gateway").get()).isNotNull();
    assertThat(admin.network().v1().networkPolicies().inNamespace(cluster.namespace()).list().getItems()).hasSize(2);
    assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(cluster.namespace()).list().getItems()).hasSize(2);
  }

  @Test
  void everyOptionInstallsWithThePrometheusOperatorsCrds(TestCluster cluster) throws Exception {
    KubernetesClient admin = cluster.admin();
    ClusterManifests.installCrds(admin, KilnCrds.NAMES.stream().map(KilnCrds::yaml).toList());
    ClusterManifests.installCrds(admin, PrometheusOperatorCrds.yamls());
    String suffix = cluster.namespace().substring(cluster.namespace().lastIndexOf('-'));
    List<String> workerNamespaces = List.of("ml" + suffix, "batch" + suffix);
    for (String namespace : workerNamespaces) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    List<HasMetadata> objects = ChartTemplateIT.objects(new Helm(home).template(cluster.namespace(), "-f",
        Helm.ALL_OPTIONS.toString(), "--set-json", "networkPolicy.workerNamespaces=" + toJson(workerNamespaces),
        "--set-json", "watchNamespaces=" + toJson(workerNamespaces)));

    for (HasMetadata object : objects) {
      admin.resource(object).forceConflicts().serverSideApply();
    }

    assertThat(admin.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
        .inNamespace(cluster.namespace()).list().getItems()).hasSize(2);
    assertThat(admin.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
        .inNamespace(cluster.namespace()).withName("kiln").get()).isNotNull();
    assertThat(admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(cluster.namespace())
        .withName("kiln-gateway").get()).isNotNull();
    assertThat(admin.configMaps().inNamespace(cluster.namespace()).withName("kiln-dashboard").get().getMetadata()
        .getLabels()).containsEntry("grafana_dashboard", "1");
    for (String namespace : workerNamespaces) {
      assertThat(admin.network().v1().networkPolicies().inNamespace(namespace).withName("kiln-workers").get())
          .isNotNull();
    }
  }

  private static String toJson(List<String> values) {
    return values.stream().map(value -> "\"" + value + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
  }

  /**
   * The integration tests of the operator and the gateway apply the chart's RBAC templates with
   * only the release namespace filled in; helm renders the same objects, so those tests run with
   * exactly the chart's rights.
   */
  @Test
  void theRbacTheTestsRunUnderIsWhatHelmRenders() throws Exception {
    Helm helm = new Helm(home);
    for (String template : List.of("operator-rbac.yaml", "gateway-rbac.yaml")) {
      String rendered = helm.template("kiln-system", "--show-only", "templates/" + template);
      String asTheTestsApplyIt = Files.readString(Helm.CHART.resolve("templates").resolve(template))
          .replace("{{ .Release.Namespace }}", "kiln-system");

      assertThat(Serialization.asYaml(ChartTemplateIT.objects(rendered))).as(template)
          .isEqualTo(Serialization.asYaml(ChartTemplateIT.objects(asTheTestsApplyIt)));
    }
  }
}
