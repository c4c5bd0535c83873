package dev.kiln.runtime.testmodels;

import static dev.kiln.runtime.testmodels.ConvNetWeights.HIDDEN_CHANNELS;
import static dev.kiln.runtime.testmodels.ConvNetWeights.IN_CHANNELS;
import static dev.kiln.runtime.testmodels.ConvNetWeights.OUT_CHANNELS;
import static dev.kiln.runtime.testmodels.ConvNetWeights.SIZE;
import static dev.kiln.runtime.testmodels.ElementType.FLOAT;
import static dev.kiln.runtime.testmodels.ElementType.INT64;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Small real ONNX models for the runtime's tests, built on the fly with known weights so that every
 * expected output can be computed by {@link ReferenceMath}. Each model's first dimension is the
 * symbolic {@code "batch"}, which ONNX Runtime reports as -1.
 */
public final class TestModels {

  private TestModels() {}

  /**
   * {@code y = x · weights + bias} (MatMul, then Add): input {@code "x"} float32 [batch, in],
   * output {@code "y"} float32 [batch, out].
   *
   * @param weights [in][out]
   * @param bias [out]
   */
  public static byte[] linear(float[][] weights, float[] bias) {
    int in = weights.length;
    int out = bias.length;
    return OnnxModelWriter.graph("linear")
        .input("x", FLOAT, "batch", in)
        .initializer("W", new long[] {in, out}, flatten(weights))
        .initializer("B", new long[] {out}, bias)
        .node("MatMul", List.of("x", "W"), List.of("xW"))
        .node("Add", List.of("xW", "B"), List.of("y"))
        .output("y", FLOAT, "batch", out)
        .toBytes();
  }

  /**
   * Conv 3x3 with padding 1, Relu, Conv 1x1: input {@code "image"} float32 [batch, 3, 8, 8], output
   * {@code "features"} float32 [batch, 2, 8, 8]. {@link ConvNetWeights#seeded} makes weights.
   */
  public static byte[] convNet(ConvNetWeights weights) {
    return OnnxModelWriter.graph("conv-net")
        .input("image", FLOAT, "batch", IN_CHANNELS, SIZE, SIZE)
        .initializer(
            "conv1.W", new long[] {HIDDEN_CHANNELS, IN_CHANNELS, 3, 3}, flatten(weights.conv1()))
        .initializer("conv1.B", new long[] {HIDDEN_CHANNELS}, weights.bias1())
        .initializer(
            "conv2.W", new long[] {OUT_CHANNELS, HIDDEN_CHANNELS, 1, 1}, flatten(weights.conv2()))
        .initializer("conv2.B", new long[] {OUT_CHANNELS}, weights.bias2())
        .node(
            "Conv",
            List.of("image", "conv1.W", "conv1.B"),
            List.of("conv1"),
            Attribute.ints("kernel_shape", 3, 3),
            Attribute.ints("pads", 1, 1, 1, 1),
            Attribute.integer("group", 1))
        .node("Relu", List.of("conv1"), List.of("hidden"))
        .node(
            "Conv",
            List.of("hidden", "conv2.W", "conv2.B"),
            List.of("features"),
            Attribute.ints("kernel_shape", 1, 1),
            Attribute.integer("group", 1))
        .output("features", FLOAT, "batch", OUT_CHANNELS, SIZE, SIZE)
        .toBytes();
  }

  /**
   * {@code out = ids + offset}, an integer model for dtype checks: input {@code "ids"} int64
   * [batch, n], output {@code "out"} int64 [batch, n], where n is the offset's length.
   */
  public static byte[] int64Offset(long[] offset) {
    return OnnxModelWriter.graph("int64-offset")
        .input("ids", INT64, "batch", offset.length)
        .initializer("offset", new long[] {offset.length}, offset)
        .node("Add", List.of("ids", "offset"), List.of("out"))
        .output("out", INT64, "batch", offset.length)
        .toBytes();
  }

  /** The first half of a valid model: a protobuf cut off inside its graph, which fails to load. */
  public static byte[] corrupt() {
    byte[] valid = linear(new float[][] {{1f, 2f}, {3f, 4f}}, new float[] {0f, 0f});
    return Arrays.copyOf(valid, valid.length / 2);
  }

  /** Writes a model to a file, creating its directory, and returns the file. */
  public static Path write(Path file, byte[] model) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.write(file, model);
  }

  private static float[] flatten(float[][] matrix) {
    float[] flat = new float[matrix.length * matrix[0].length];
    for (int r = 0; r < matrix.length; r++) {
      System.arraycopy(matrix[r], 0, flat, r * matrix[r].length, matrix[r].length);
    }
    return flat;
  }

  /** A [n][c][h][w] tensor's values in row-major order, as ONNX lays them out. */
  public static float[] flatten(float[][][][] tensor) {
    float[][] rows =
        Arrays.stream(tensor)
            .flatMap(Arrays::stream)
            .flatMap(Arrays::stream)
            .toArray(float[][]::new);
    return flatten(rows);
  }
}
