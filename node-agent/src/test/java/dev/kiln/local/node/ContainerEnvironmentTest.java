package dev.kiln.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerEnvironmentTest {

  private static final Pod POD = new PodBuilder()
      .withNewMetadata().withName("worker-1").withNamespace("kiln").withUid("u-1")
      .addToLabels("kiln.dev/pool", "a100").endMetadata()
      .withNewSpec().withNodeName("gpu-node").endSpec()
      .build();

  // No Secret or ConfigMap references below, so no client is needed.
  private final ContainerEnvironment environment = new ContainerEnvironment(null);

  @Test
  void expandsReferencesToEarlierVariablesAndKeepsUnknownOnes() {
    Map<String, String> vars = Map.of("HOST", "127.0.1.5", "PORT", "8080");
    assertThat(ContainerEnvironment.expand("http://$(HOST):$(PORT)/$(MISSING)", vars))
        .isEqualTo("http://127.0.1.5:8080/$(MISSING)");
    assertThat(ContainerEnvironment.expand("$$(HOST) costs $$5", vars)).isEqualTo("$(HOST) costs $5");
  }

  @Test
  void resolvesTheDownwardApi() throws Exception {
    Container container = new ContainerBuilder().withName("c")
        .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef()
        .endValueFrom().endEnv()
        .addNewEnv().withName("POOL").withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.labels['kiln.dev/pool']").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef()
        .endValueFrom().endEnv()
        .addNewEnv().withName("URL").withValue("http://$(IP):80/$(POOL)").endEnv()
        .build();

    assertThat(environment.resolve(POD, container, "127.0.1.5", "127.0.0.2")).containsExactly(
        Map.entry("IP", "127.0.1.5"), Map.entry("POOL", "a100"), Map.entry("NODE", "gpu-node"),
        Map.entry("URL", "http://127.0.1.5:80/a100"));
  }

  @Test
  void unsupportedFieldIsAConfigError() {
    Container container = new ContainerBuilder().withName("c")
        .addNewEnv().withName("X").withNewValueFrom().withNewFieldRef().withFieldPath("spec.priority").endFieldRef()
        .endValueFrom().endEnv()
        .build();

    assertThatThrownBy(() -> environment.resolve(POD, container, "127.0.1.5", "127.0.0.2"))
        .isInstanceOf(ContainerConfigException.class)
        .hasMessageContaining("unsupported fieldRef spec.priority");
  }
}
