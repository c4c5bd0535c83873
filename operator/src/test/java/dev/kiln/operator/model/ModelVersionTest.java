package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.crds.model.Batching;
import dev.kiln.crds.model.ModelSource;
import dev.kiln.crds.model.ModelSpec;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.crds.model.Residency;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class ModelVersionTest {

  @Test
  void isTwelveHexDigitsAndStable() {
    assertThat(ModelVersion.of(spec("https://m/a.onnx", 4))).matches("[0-9a-f]{12}")
        .isEqualTo(ModelVersion.of(spec("https://m/a.onnx", 4)));
  }

  @Test
  void changesWithTheSourceOrBatching() {
    String version = ModelVersion.of(spec("https://m/a.onnx", 4));
    assertThat(ModelVersion.of(spec("https://m/b.onnx", 4))).isNotEqualTo(version);
    assertThat(ModelVersion.of(spec("https://m/a.onnx", 8))).isNotEqualTo(version);
  }

  @Test
  void changesWithTheOptionsOnlyWhenSet() {
    String version = ModelVersion.of(spec("https://m/a.onnx", 4));
    ModelSpec withOptions = spec("https://m/a.onnx", 4);
    withOptions.setOptions(JsonNodeFactory.instance.objectNode().put("serviceTimeMillis", 200));
    assertThat(ModelVersion.of(withOptions)).isNotEqualTo(version);
  }

  @Test
  void ignoresSettingsThatNeedNoReload() {
    ModelSpec changed = spec("https://m/a.onnx", 4);
    Residency residency = new Residency();
    residency.setMinReplicas(3);
    changed.setResidency(residency);
    changed.setGpuMemory(new Quantity("2Gi"));
    changed.setPricePerSecond("0.5");
    assertThat(ModelVersion.of(changed)).isEqualTo(ModelVersion.of(spec("https://m/a.onnx", 4)));
  }

  @Test
  void toleratesAnEmptySpec() {
    assertThat(ModelVersion.of(new ModelSpec())).matches("[0-9a-f]{12}");
  }

  static ModelSpec spec(String uri, int maxBatchSize) {
    ModelSpec spec = new ModelSpec();
    ModelSource source = new ModelSource();
    source.setUri(uri);
    spec.setSource(source);
    spec.setTask(ModelTask.TENSOR);
    Batching batching = new Batching();
    batching.setMaxBatchSize(maxBatchSize);
    spec.setBatching(batching);
    return spec;
  }
}
