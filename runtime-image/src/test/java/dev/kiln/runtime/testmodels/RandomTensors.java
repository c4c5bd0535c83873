package dev.kiln.runtime.testmodels;

import java.util.Random;

/**
 * Float arrays filled uniformly from [-1, 1) by a seeded generator, so that weights and inputs, and
 * so the expected outputs, are the same on every run.
 */
public final class RandomTensors {

  private final Random random;

  public RandomTensors(long seed) {
    this.random = new Random(seed);
  }

  public float[] floats(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextFloat(-1f, 1f);
    }
    return values;
  }

  public float[][] floats(int rows, int cols) {
    float[][] values = new float[rows][];
    for (int r = 0; r < rows; r++) {
      values[r] = floats(cols);
    }
    return values;
  }

  public float[][][][] floats(int n, int c, int h, int w) {
    float[][][][] values = new float[n][c][][];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < c; j++) {
        values[i][j] = floats(h, w);
      }
    }
    return values;
  }
}
