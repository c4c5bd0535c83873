package dev.kiln.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A picture whose subject is known: a red disc and a blue box on light grey, 320×320. Background
 * removal keeps the disc (its centre at {@link #SUBJECT}) and clears the grey border.
 */
final class SamplePicture {

  static final int SIZE = 320;
  /** A pixel inside the disc. */
  static final int[] SUBJECT = {120, 160};

  private SamplePicture() {}

  static byte[] png() {
    BufferedImage picture = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = picture.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new Color(225, 225, 225));
    g.fillRect(0, 0, SIZE, SIZE);
    g.setColor(new Color(200, 30, 30));
    g.fillOval(60, 100, 120, 120);
    g.setColor(new Color(30, 60, 200));
    g.fillRect(200, 120, 70, 90);
    g.dispose();
    var out = new ByteArrayOutputStream();
    try {
      ImageIO.write(picture, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes the picture to {@code file} once, for the examples kiln dev prints. */
  static Path writeTo(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      Files.createDirectories(file.getParent());
      Files.write(file, png());
    }
    return file;
  }
}
