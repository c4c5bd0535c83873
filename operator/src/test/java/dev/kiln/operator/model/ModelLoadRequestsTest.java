package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.crds.model.Batching;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.operator.runtime.LoadRequest;
import org.junit.jupiter.api.Test;

class ModelLoadRequestsTest {

  @Test
  void carriesSourceTaskAndBatching() {
    Model model = model(ModelTask.IMAGE_TO_IMAGE);
    model.getSpec().getSource().setSha256("a".repeat(64));
    Batching batching = new Batching();
    batching.setMaxBatchSize(8);
    batching.setMaxDelay("1s5ms");
    model.getSpec().setBatching(batching);

    assertThat(ModelLoadRequests.of(model, "abc", null)).isEqualTo(new LoadRequest("m", "abc", "image-to-image",
        new LoadRequest.Source("https://m/a.onnx", "a".repeat(64), null), new LoadRequest.Batching(8, 1005L), null));
  }

  @Test
  void carriesTheBearerTokenWithTheSourceButNeverShowsIt() {
    LoadRequest.Source source = ModelLoadRequests.of(model(ModelTask.TENSOR), "v", "s3cr3t").source();

    assertThat(source.bearerToken()).isEqualTo("s3cr3t");
    assertThat(source.toString()).contains("https://m/a.onnx").contains("<redacted>").doesNotContain("s3cr3t");
  }

  @Test
  void aSyntheticModelLoadsWithoutASource() {
    assertThat(ModelLoadRequests.of(model(ModelTask.SYNTHETIC), "v", null).source()).isNull();
    assertThat(ModelLoadRequests.of(model(ModelTask.SYNTHETIC), "v", null).task()).isEqualTo("synthetic");
  }

  @Test
  void passesTheTasksOptionsAsTheyAre() {
    Model model = model(ModelTask.SYNTHETIC);
    model.getSpec().setOptions(JsonNodeFactory.instance.objectNode().put("serviceTimeMillis", 200));

    assertThat(ModelLoadRequests.of(model, "v", null).options()).hasToString("{\"serviceTimeMillis\":200}");
  }

  @Test
  void noBatchingLeavesItToTheRuntime() {
    assertThat(ModelLoadRequests.of(model(ModelTask.TENSOR), "v", null).batching()).isNull();
  }

  @Test
  void readsDurations() {
    assertThat(ModelLoadRequests.millis(null)).isZero();
    assertThat(ModelLoadRequests.millis("0ms")).isZero();
    assertThat(ModelLoadRequests.millis("5ms")).isEqualTo(5);
    assertThat(ModelLoadRequests.millis("1m30s")).isEqualTo(90_000);
    assertThat(ModelLoadRequests.millis("1h")).isEqualTo(3_600_000);
    assertThatThrownBy(() -> ModelLoadRequests.millis("5 ms")).isInstanceOf(IllegalArgumentException.class);
  }

  private static Model model(ModelTask task) {
    Model model = new Model();
    model.getMetadata().setName("m");
    model.setSpec(ModelVersionTest.spec("https://m/a.onnx", 1));
    model.getSpec().setBatching(null);
    model.getSpec().setTask(task);
    return model;
  }
}
