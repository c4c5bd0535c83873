package dev.kiln.runtime.task.image;

import dev.kiln.runtime.task.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG and JPEG in, PNG out, with javax.imageio. The dimensions are read from the header and checked
 * before any pixel is decoded, so a small file that claims a huge picture (a decompression bomb) is
 * refused without allocating it. Streams are cached in memory, never in temporary files.
 */
final class ImageCodec {

  /** The longest side accepted, in pixels. */
  static final int MAX_SIDE = 8192;
  /** The most pixels accepted: about 160 MB once decoded to 4 bytes a pixel. */
  static final long MAX_PIXELS = 40_000_000L;

  private static final Set<String> FORMATS = Set.of("png", "jpeg");

  private ImageCodec() {}

  static BufferedImage decode(byte[] bytes) throws InvalidInputException {
    try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = pngOrJpegReader(stream);
      try {
        reader.setInput(stream, true, true);
        checkSize(reader.getWidth(0), reader.getHeight(0));
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException("invalid_image", "the image could not be decoded (" + e.getMessage()
          + "): send a complete PNG or JPEG file");
    }
  }

  static byte[] encodePng(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    var bytes = new ByteArrayOutputStream();
    try (var out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(image);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a PNG in memory failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static ImageReader pngOrJpegReader(ImageInputStream stream) throws InvalidInputException, IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
        return reader;
      }
    }
    throw new InvalidInputException("invalid_image", "the body is not a PNG or JPEG image: send the bytes of a "
        + ".png or .jpg file, or a JSON body with \"image_url\": \"data:image/png;base64,...\"");
  }

  private static void checkSize(int width, int height) throws InvalidInputException {
    if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
      throw new InvalidInputException("image_too_large", "the image is " + width + "x" + height
          + " pixels; this worker takes at most " + MAX_SIDE + " pixels a side and " + MAX_PIXELS / 1_000_000
          + " megapixels: scale it down before sending it");
    }
  }
}
