package dev.kiln.runtime.testmodels;

import java.util.Arrays;

/**
 * The parameters of {@link TestModels#convNet}: a 3x3 convolution from {@value #IN_CHANNELS} to
 * {@value #HIDDEN_CHANNELS} channels, then a 1x1 convolution to {@value #OUT_CHANNELS} channels.
 * Kernels are laid out as ONNX's Conv wants them: [out channels][in channels][height][width].
 *
 * @param conv1 the 3x3 kernels, [4][3][3][3]
 * @param bias1 the first convolution's bias, [4]
 * @param conv2 the 1x1 kernels, [2][4][1][1]
 * @param bias2 the second convolution's bias, [2]
 */
public record ConvNetWeights(
    float[][][][] conv1, float[] bias1, float[][][][] conv2, float[] bias2) {

  public static final int IN_CHANNELS = 3;
  public static final int HIDDEN_CHANNELS = 4;
  public static final int OUT_CHANNELS = 2;
  /** The height and width of the image, kept by both convolutions. */
  public static final int SIZE = 8;

  public ConvNetWeights {
    checkShape("conv1", conv1, HIDDEN_CHANNELS, IN_CHANNELS, 3, 3);
    checkShape("conv2", conv2, OUT_CHANNELS, HIDDEN_CHANNELS, 1, 1);
    if (bias1.length != HIDDEN_CHANNELS || bias2.length != OUT_CHANNELS) {
      throw new IllegalArgumentException(
          "biases have %d and %d values, not %d and %d"
              .formatted(HIDDEN_CHANNELS, OUT_CHANNELS, bias1.length, bias2.length));
    }
  }

  /** Weights drawn from [-1, 1) by {@link RandomTensors} with this seed, in parameter order. */
  public static ConvNetWeights seeded(long seed) {
    var random = new RandomTensors(seed);
    return new ConvNetWeights(
        random.floats(HIDDEN_CHANNELS, IN_CHANNELS, 3, 3),
        random.floats(HIDDEN_CHANNELS),
        random.floats(OUT_CHANNELS, HIDDEN_CHANNELS, 1, 1),
        random.floats(OUT_CHANNELS));
  }

  private static void checkShape(String name, float[][][][] kernels, int... shape) {
    int[] actual = {
      kernels.length, kernels[0].length, kernels[0][0].length, kernels[0][0][0].length
    };
    if (!Arrays.equals(actual, shape)) {
      throw new IllegalArgumentException(
          name + " has shape " + Arrays.toString(actual) + ", not " + Arrays.toString(shape));
    }
  }
}
