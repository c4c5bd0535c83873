package dev.kiln.runtime.task.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * An image as U²-Net takes it: RGB resized to the model's input size, divided by the image's
 * largest channel value, normalised with the ImageNet mean and standard deviation, laid out as
 * NCHW float32 (one image, three planes).
 */
final class U2NetPreprocessing {

  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  private U2NetPreprocessing() {}

  /** The {@code [1, 3, height, width]} tensor's values, planes R, G, B one after the other. */
  static float[] tensor(BufferedImage image, int width, int height) {
    int[] pixels = ((DataBufferInt) resize(image, width, height).getRaster().getDataBuffer()).getData();
    int max = 0;
    for (int pixel : pixels) {
      max = Math.max(max, Math.max((pixel >> 16) & 0xff, Math.max((pixel >> 8) & 0xff, pixel & 0xff)));
    }
    float scale = max == 0 ? 0 : 1f / max;
    int plane = width * height;
    float[] tensor = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      int pixel = pixels[i];
      tensor[i] = (((pixel >> 16) & 0xff) * scale - MEAN[0]) / STD[0];
      tensor[plane + i] = (((pixel >> 8) & 0xff) * scale - MEAN[1]) / STD[1];
      tensor[2 * plane + i] = ((pixel & 0xff) * scale - MEAN[2]) / STD[2];
    }
    return tensor;
  }

  /**
   * Resizes to an RGB image of exactly {@code width x height}. Large images shrink by halves first:
   * one bilinear step from, say, 4000 pixels down to 320 would sample a few pixels and skip the rest,
   * and the aliasing it leaves confuses the model.
   */
  static BufferedImage resize(BufferedImage image, int width, int height) {
    BufferedImage current = image;
    while (true) {
      int nextWidth = Math.max(width, current.getWidth() / 2);
      int nextHeight = Math.max(height, current.getHeight() / 2);
      current = draw(current, nextWidth, nextHeight);
      if (nextWidth == width && nextHeight == height) {
        return current;
      }
    }
  }

  private static BufferedImage draw(BufferedImage image, int width, int height) {
    BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = resized.createGraphics();
    try {
      graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      graphics.drawImage(image, 0, 0, width, height, null);
    } finally {
      graphics.dispose();
    }
    return resized;
  }
}
