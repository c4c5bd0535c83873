package dev.kiln.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chart ships the CRDs the build generates from the Java types, byte for byte. */
class HelmCrdsDriftTest {

  @ParameterizedTest
  @ValueSource(strings = {"gpupools.kiln.dev", "models.kiln.dev", "apikeys.kiln.dev"})
  void helmChartHoldsTheGeneratedCrd(String crd) throws IOException {
    String generated = KilnCrds.yaml(crd);
    Path chartCopy = Path.of("..", "helm", "kiln", "crds", crd + ".yaml");

    assertThat(chartCopy).as("%s is missing: run hack/update-crds.sh", chartCopy).exists();
    assertThat(Files.readString(chartCopy, StandardCharsets.UTF_8))
        .as("%s differs from the CRD generated from the Java types: run hack/update-crds.sh", chartCopy)
        .isEqualTo(generated);
  }
}
