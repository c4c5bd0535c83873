package dev.kiln.runtime.testmodels;

/**
 * Plain-Java forward passes of the {@link TestModels}, written from the operators' definitions and
 * summing in double, so that a test's expected values do not come from ONNX Runtime itself.
 */
public final class ReferenceMath {

  private ReferenceMath() {}

  /** {@code x · weights + bias}: x is [batch][in], weights [in][out], bias [out]. */
  public static float[][] linear(float[][] x, float[][] weights, float[] bias) {
    int out = bias.length;
    float[][] y = new float[x.length][out];
    for (int n = 0; n < x.length; n++) {
      for (int o = 0; o < out; o++) {
        double sum = bias[o];
        for (int i = 0; i < weights.length; i++) {
          sum += (double) x[n][i] * weights[i][o];
        }
        y[n][o] = (float) sum;
      }
    }
    return y;
  }

  /**
   * A stride-1 2-D convolution with zero padding of {@code pad} on every side (ONNX Conv, one
   * group): input is [batch][in][h][w], kernels [out][in][kh][kw], bias [out].
   */
  public static float[][][][] conv2d(
      float[][][][] input, float[][][][] kernels, float[] bias, int pad) {
    int height = input[0][0].length;
    int width = input[0][0][0].length;
    int kh = kernels[0][0].length;
    int kw = kernels[0][0][0].length;
    int outHeight = height + 2 * pad - kh + 1;
    int outWidth = width + 2 * pad - kw + 1;
    float[][][][] output = new float[input.length][kernels.length][outHeight][outWidth];
    for (int n = 0; n < input.length; n++) {
      for (int o = 0; o < kernels.length; o++) {
        for (int y = 0; y < outHeight; y++) {
          for (int x = 0; x < outWidth; x++) {
            double sum = bias[o];
            for (int c = 0; c < kernels[o].length; c++) {
              for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                  int row = y + i - pad;
                  int col = x + j - pad;
                  if (row >= 0 && row < height && col >= 0 && col < width) {
                    sum += (double) input[n][c][row][col] * kernels[o][c][i][j];
                  }
                }
              }
            }
            output[n][o][y][x] = (float) sum;
          }
        }
      }
    }
    return output;
  }

  /** {@code max(0, x)} element-wise, into a new array. */
  public static float[][][][] relu(float[][][][] x) {
    float[][][][] y = new float[x.length][x[0].length][x[0][0].length][x[0][0][0].length];
    for (int n = 0; n < x.length; n++) {
      for (int c = 0; c < x[n].length; c++) {
        for (int h = 0; h < x[n][c].length; h++) {
          for (int w = 0; w < x[n][c][h].length; w++) {
            y[n][c][h][w] = Math.max(0f, x[n][c][h][w]);
          }
        }
      }
    }
    return y;
  }

  /** What {@link TestModels#convNet} computes: conv 3x3 pad 1, Relu, conv 1x1. */
  public static float[][][][] convNet(ConvNetWeights weights, float[][][][] image) {
    float[][][][] hidden = relu(conv2d(image, weights.conv1(), weights.bias1(), 1));
    return conv2d(hidden, weights.conv2(), weights.bias2(), 0);
  }
}
