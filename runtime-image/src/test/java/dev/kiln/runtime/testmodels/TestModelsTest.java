package dev.kiln.runtime.testmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestModelsTest {

  private static final float TOLERANCE = 1e-5f;
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void linearComputesXTimesWeightsPlusBias(int batch) throws OrtException {
    var random = new RandomTensors(11);
    float[][] weights = random.floats(4, 3);
    float[] bias = random.floats(3);
    float[][] x = random.floats(batch, 4);

    try (OrtSession session = session(TestModels.linear(weights, bias));
        OnnxTensor input = OnnxTensor.createTensor(ENV, x);
        OrtSession.Result result = session.run(Map.of("x", input))) {
      float[][] y = (float[][]) result.get("y").orElseThrow().getValue();

      float[][] expected = ReferenceMath.linear(x, weights, bias);
      assertThat(y).hasDimensions(batch, 3);
      for (int n = 0; n < batch; n++) {
        assertThat(y[n]).containsExactly(expected[n], within(TOLERANCE));
      }
    }
  }

  @Test
  void linearDeclaresABatchOfFloatVectors() throws OrtException {
    try (OrtSession session = session(TestModels.linear(new float[4][3], new float[3]))) {
      assertTensor(session.getInputInfo(), "x", OnnxJavaType.FLOAT, -1, 4);
      assertTensor(session.getOutputInfo(), "y", OnnxJavaType.FLOAT, -1, 3);
      assertThat(tensorInfo(session.getInputInfo(), "x").getDimensionNames())
          .containsExactly("batch", "");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void convNetMatchesTheReferenceConvolutions(int batch) throws OrtException {
    var weights = ConvNetWeights.seeded(5);
    float[][][][] image = new RandomTensors(6).floats(batch, 3, 8, 8);

    try (OrtSession session = session(TestModels.convNet(weights));
        OnnxTensor input = OnnxTensor.createTensor(ENV, image);
        OrtSession.Result result = session.run(Map.of("image", input))) {
      float[][][][] features = (float[][][][]) result.get("features").orElseThrow().getValue();

      assertThat(TestModels.flatten(features))
          .containsExactly(
              TestModels.flatten(ReferenceMath.convNet(weights, image)), within(TOLERANCE));
      assertThat(features.length).isEqualTo(batch);
    }
  }

  @Test
  void convNetHiddenLayerHasBothSignsSoReluMatters() {
    var weights = ConvNetWeights.seeded(5);
    float[][][][] image = new RandomTensors(6).floats(3, 3, 8, 8);
    float[] hidden =
        TestModels.flatten(ReferenceMath.conv2d(image, weights.conv1(), weights.bias1(), 1));

    assertThat(IntStream.range(0, hidden.length).mapToDouble(i -> hidden[i]))
        .anySatisfy(value -> assertThat(value).isNegative())
        .anySatisfy(value -> assertThat(value).isPositive());
  }

  @Test
  void convNetDeclaresABatchOfImagesAndFeatureMaps() throws OrtException {
    try (OrtSession session = session(TestModels.convNet(ConvNetWeights.seeded(1)))) {
      assertTensor(session.getInputInfo(), "image", OnnxJavaType.FLOAT, -1, 3, 8, 8);
      assertTensor(session.getOutputInfo(), "features", OnnxJavaType.FLOAT, -1, 2, 8, 8);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void int64OffsetAddsTheOffsetToEveryRow(int batch) throws OrtException {
    long[] offset = {1, 10, 100, 1000};
    long[][] ids = new long[batch][];
    long[][] expected = new long[batch][];
    for (int n = 0; n < batch; n++) {
      ids[n] = new long[] {n, 2L * n, -n, 1L << 40};
      expected[n] = new long[] {n + 1, 2L * n + 10, 100 - n, (1L << 40) + 1000};
    }

    try (OrtSession session = session(TestModels.int64Offset(offset));
        OnnxTensor input = OnnxTensor.createTensor(ENV, ids);
        OrtSession.Result result = session.run(Map.of("ids", input))) {
      assertTensor(session.getInputInfo(), "ids", OnnxJavaType.INT64, -1, 4);
      assertTensor(session.getOutputInfo(), "out", OnnxJavaType.INT64, -1, 4);
      assertThat((long[][]) result.get("out").orElseThrow().getValue()).isDeepEqualTo(expected);
    }
  }

  @Test
  void int64ModelRejectsFloatInput() throws OrtException {
    try (OrtSession session = session(TestModels.int64Offset(new long[] {1, 2, 3, 4}));
        OnnxTensor floats = OnnxTensor.createTensor(ENV, new float[1][4])) {
      assertThatThrownBy(() -> session.run(Map.of("ids", floats)).close())
          .isInstanceOf(OrtException.class)
          .hasMessageContaining("expected: (tensor(int64))");
    }
  }

  @Test
  void corruptModelFailsToLoad() {
    assertThatThrownBy(() -> session(TestModels.corrupt()).close())
        .isInstanceOf(OrtException.class)
        .hasMessageContaining("ORT_INVALID_PROTOBUF");
  }

  @Test
  void writtenModelLoadsFromItsFile(@TempDir Path dir) throws Exception {
    byte[] model = TestModels.linear(new float[][] {{2f}}, new float[] {1f});
    Path file = TestModels.write(dir.resolve("models/linear.onnx"), model);

    try (var options = new OrtSession.SessionOptions();
        OrtSession session = ENV.createSession(file.toString(), options);
        OnnxTensor input = OnnxTensor.createTensor(ENV, new float[][] {{3f}});
        OrtSession.Result result = session.run(Map.of("x", input))) {
      assertThat((float[][]) result.get("y").orElseThrow().getValue())
          .isDeepEqualTo(new float[][] {{7f}});
    }
  }

  @Test
  void initializerOfTheWrongSizeIsRejected() {
    var writer = OnnxModelWriter.graph("g");

    assertThatThrownBy(() -> writer.initializer("W", new long[] {2, 3}, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("W has shape [2, 3] (6 values), not 5");
  }

  private static OrtSession session(byte[] model) throws OrtException {
    try (var options = new OrtSession.SessionOptions()) {
      return ENV.createSession(model, options);
    }
  }

  private static void assertTensor(
      Map<String, NodeInfo> infos, String name, OnnxJavaType type, long... shape) {
    assertThat(infos).containsOnlyKeys(name);
    TensorInfo info = tensorInfo(infos, name);
    assertThat(info.type).isEqualTo(type);
    assertThat(info.getShape()).containsExactly(shape);
  }

  private static TensorInfo tensorInfo(Map<String, NodeInfo> infos, String name) {
    return (TensorInfo) infos.get(name).getInfo();
  }
}
