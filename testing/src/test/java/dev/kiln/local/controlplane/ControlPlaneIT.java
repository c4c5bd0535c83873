package dev.kiln.local.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@LocalKubernetes
class ControlPlaneIT {

  private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
      .withGroup("example.kiln.dev").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true)
      .build();

  @BeforeAll
  static void installCrd(KubernetesClient admin) {
    CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
        .load(ControlPlaneIT.class.getResourceAsStream("/widgets-crd.yaml")).item();
    admin.resource(crd).serverSideApply();
    await("widgets CRD established").atMost(Duration.ofSeconds(30)).until(() ->
        admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get()
            .getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
  }

  @Test
  void crdAcceptsAValidResourceAndRejectsAnInvalidOneWithTheCelMessage(TestCluster cluster) {
    var widgets = cluster.admin().genericKubernetesResources(WIDGETS).inNamespace(cluster.namespace());

    GenericKubernetesResource created = widgets.resource(widget("valid", 1, 3)).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();

    assertThatThrownBy(() -> widgets.resource(widget("inverted", 5, 2)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("minReplicas must not exceed maxReplicas; lower minReplicas");
        });
    assertThatThrownBy(() -> widgets.resource(widget("negative", -1, 2)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.minReplicas").contains("should be greater than or equal to 0");
        });
    assertThat(widgets.list().getItems()).extracting(r -> r.getMetadata().getName()).containsExactly("valid");
  }

  @Test
  void serviceAccountIsDeniedUntilARoleBindingAllowsIt(TestCluster cluster) {
    String namespace = cluster.namespace();
    cluster.admin().serviceAccounts().inNamespace(namespace)
        .resource(new ServiceAccountBuilder().withNewMetadata().withName("pod-reader").endMetadata().build()).create();
    KubernetesClient reader = cluster.clientAs("pod-reader");

    assertThatThrownBy(() -> reader.pods().inNamespace(namespace).list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getMessage()).contains("system:serviceaccount:" + namespace + ":pod-reader")
              .contains("cannot list resource \"pods\"");
        });

    cluster.admin().rbac().roles().inNamespace(namespace).resource(new RoleBuilder()
        .withNewMetadata().withName("read-pods").endMetadata()
        .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list", "watch").endRule()
        .build()).create();
    cluster.admin().rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder()
        .withNewMetadata().withName("pod-reader-reads-pods").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("read-pods").endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("pod-reader").withNamespace(namespace).endSubject()
        .build()).create();

    // The RBAC authorizer sees new bindings through its informer, a moment after they are written.
    await("pod-reader may list pods").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> reader.pods().inNamespace(namespace).list() != null);
    assertThatThrownBy(() -> reader.secrets().inNamespace(namespace).list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  @Test
  void apiServerSignsServiceAccountTokensThatAuthenticate(TestCluster cluster) {
    String namespace = cluster.namespace();
    cluster.admin().serviceAccounts().inNamespace(namespace)
        .resource(new ServiceAccountBuilder().withNewMetadata().withName("token-holder").endMetadata().build()).create();

    String token = cluster.admin().serviceAccounts().inNamespace(namespace).withName("token-holder")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
        .getStatus().getToken();

    var config = new ConfigBuilder(cluster.controlPlane().adminConfig())
        .withClientCertData(null).withClientKeyData(null).withOauthToken(token).build();
    try (KubernetesClient withToken = ControlPlane.newClient(config)) {
      assertThatThrownBy(() -> withToken.pods().inNamespace(namespace).list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("system:serviceaccount:" + namespace + ":token-holder");
          });
    }
  }

  private static GenericKubernetesResource widget(String name, int minReplicas, int maxReplicas) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("example.kiln.dev/v1").withKind("Widget")
        .withNewMetadata().withName(name).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("minReplicas", minReplicas, "maxReplicas", maxReplicas)))
        .build();
  }
}
