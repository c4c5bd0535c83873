package dev.kiln.crds.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.crds.KilnCrds;
import dev.kiln.crds.model.Model;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterColumnOrderTest {

  @Test
  void theBuiltCrdListsColumnsInTheOrderTheTypeDeclaresThem() {
    CustomResourceDefinition crd = Serialization.unmarshal(KilnCrds.yaml("models.kiln.dev"),
        CustomResourceDefinition.class);

    assertThat(crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactlyElementsOf(Arrays.stream(Model.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name).toList())
        .endsWith("Age");
  }

  @Test
  void onlyTheColumnsLinesMove() {
    String yaml = """
        spec:
          versions:
          - additionalPrinterColumns:
            - jsonPath: ".metadata.creationTimestamp"
              name: "Age"
              type: "date"
            - jsonPath: ".spec.pool"
              name: "Pool"
              type: "string"
            name: "v1alpha1"
        """;

    assertThat(PrinterColumnOrder.reorder(yaml, List.of("Pool", "Age"))).isEqualTo("""
        spec:
          versions:
          - additionalPrinterColumns:
            - jsonPath: ".spec.pool"
              name: "Pool"
              type: "string"
            - jsonPath: ".metadata.creationTimestamp"
              name: "Age"
              type: "date"
            name: "v1alpha1"
        """);
  }

  @Test
  void aColumnNoAnnotationDeclaresIsAnError() {
    String yaml = """
        - additionalPrinterColumns:
          - jsonPath: ".spec.pool"
            name: "Pool"
        """;

    assertThatThrownBy(() -> PrinterColumnOrder.reorder(yaml, List.of("Age")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Pool");
  }
}
