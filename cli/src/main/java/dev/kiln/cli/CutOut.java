package dev.kiln.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A background-removal answer for {@link SamplePicture}, checked: the disc kept (opaque), the grey
 * corner gone (transparent).
 */
record CutOut(int width, int height, double subjectAlpha, double backgroundAlpha) {

  static CutOut of(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    if (image == null) {
      throw new IOException("the answer is not a picture ImageIO can read (" + png.length + " bytes)");
    }
    return new CutOut(image.getWidth(), image.getHeight(),
        alpha(image, SamplePicture.SUBJECT[0], SamplePicture.SUBJECT[1]), alpha(image, 4, 4));
  }

  private static double alpha(BufferedImage image, int x, int y) {
    return image.getColorModel().hasAlpha() ? (image.getRGB(x, y) >>> 24) / 255.0 : 1.0;
  }

  boolean backgroundRemoved() {
    return subjectAlpha > 0.9 && backgroundAlpha < 0.1;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%dx%d PNG, subject alpha %.2f, background alpha %.2f", width, height,
        subjectAlpha, backgroundAlpha);
  }
}
