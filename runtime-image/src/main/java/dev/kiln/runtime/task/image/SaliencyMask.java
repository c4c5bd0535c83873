package dev.kiln.runtime.task.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * A saliency map at the model's resolution, min-max normalised to [0, 1] and scaled to the
 * original picture's size, where it becomes the alpha channel of the cut-out.
 *
 * @param values row-major, {@code width * height} values in [0, 1]
 */
record SaliencyMask(float[] values, int width, int height) {

  SaliencyMask {
    if (values.length != width * height) {
      throw new IllegalArgumentException("a " + width + "x" + height + " mask needs " + width * height
          + " values, got " + values.length);
    }
  }

  /**
   * Stretches the model's map so that its least salient pixel is 0 and its most salient 1. A map
   * without contrast (every value the same) cannot be stretched and is kept as it is, clamped to [0, 1].
   */
  static SaliencyMask normalised(float[] map, int width, int height) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float value : map) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    float range = max - min;
    float[] values = new float[map.length];
    for (int i = 0; i < map.length; i++) {
      values[i] = range > 0 ? (map[i] - min) / range : Math.clamp(map[i], 0f, 1f);
    }
    return new SaliencyMask(values, width, height);
  }

  /**
   * The picture in RGBA with this mask, bilinearly scaled to the picture's size (pixel centres
   * aligned), as its alpha channel. The picture's own alpha, if any, is replaced.
   */
  BufferedImage cutOut(BufferedImage picture) {
    int outWidth = picture.getWidth();
    int outHeight = picture.getHeight();
    BufferedImage out = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_ARGB);
    int[] argb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    picture.getRGB(0, 0, outWidth, outHeight, argb, 0, outWidth);
    Axis columns = Axis.of(width, outWidth);
    Axis rows = Axis.of(height, outHeight);
    for (int y = 0; y < outHeight; y++) {
      int above = rows.low[y] * width;
      int below = rows.high[y] * width;
      float down = rows.weight[y];
      for (int x = 0; x < outWidth; x++) {
        float right = columns.weight[x];
        float top = values[above + columns.low[x]] * (1 - right) + values[above + columns.high[x]] * right;
        float bottom = values[below + columns.low[x]] * (1 - right) + values[below + columns.high[x]] * right;
        int alpha = Math.round((top * (1 - down) + bottom * down) * 255);
        int i = y * outWidth + x;
        argb[i] = alpha << 24 | argb[i] & 0xffffff;
      }
    }
    return out;
  }

  /** For each output coordinate along one axis, the two source cells it lies between and the weight of the second. */
  private record Axis(int[] low, int[] high, float[] weight) {

    static Axis of(int sourceSize, int targetSize) {
      int[] low = new int[targetSize];
      int[] high = new int[targetSize];
      float[] weight = new float[targetSize];
      float scale = (float) sourceSize / targetSize;
      for (int t = 0; t < targetSize; t++) {
        float source = Math.clamp((t + 0.5f) * scale - 0.5f, 0f, sourceSize - 1);
        low[t] = (int) source;
        high[t] = Math.min(low[t] + 1, sourceSize - 1);
        weight[t] = source - low[t];
      }
      return new Axis(low, high, weight);
    }
  }
}
