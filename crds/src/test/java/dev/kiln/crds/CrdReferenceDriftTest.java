package dev.kiln.crds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.docs.CrdReference;
import dev.kiln.crds.status.ConditionReason;
import dev.kiln.crds.status.ConditionType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CrdReferenceDriftTest {

  private static final Path REFERENCE = Path.of("..", "docs", "crd-reference.md");

  @Test
  void committedReferenceMatchesTheSchema() throws IOException {
    if (Boolean.getBoolean("kiln.update-docs")) {
      Files.writeString(REFERENCE, CrdReference.markdown(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
        .as("%s differs from the CRDs: run hack/update-crds.sh", REFERENCE)
        .isEqualTo(CrdReference.markdown());
  }

  @Test
  void referenceDocumentsEveryFieldWithItsDefault() {
    String reference = CrdReference.markdown();
    assertThat(reference)
        .contains("| `spec.workers.max` | integer, 1–1000, required |")
        .contains("| `spec.residency.policy` | string, one of `Hot` `OnDemand` | `\"OnDemand\"` |")
        .contains("| `spec.gpuMemoryPerWorker` | quantity |")
        .contains("`spec.residency`: a Hot model must stay resident somewhere");
  }

  @Test
  void conditionTypesAndReasonsAreCamelCaseAndUnique() {
    assertThat(Arrays.stream(ConditionType.values()).map(ConditionType::type))
        .doesNotHaveDuplicates().allMatch(type -> type.matches("[A-Z][A-Za-z]+"));
    assertThat(Arrays.stream(ConditionReason.values()).map(ConditionReason::reason))
        .doesNotHaveDuplicates().allMatch(reason -> reason.matches("[A-Z][A-Za-z]+"));
  }
}
