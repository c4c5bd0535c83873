package dev.kiln.gateway.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.task.InvalidInputException;
import dev.kiln.runtime.task.Invocation;
import dev.kiln.runtime.task.InvocationResult;
import dev.kiln.runtime.task.ModelLoad;
import dev.kiln.runtime.task.ServableModel;
import dev.kiln.runtime.task.Task;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * A FAKE {@code text-to-image} task for the gateway's tests, since no real text-to-image model can
 * run here: it takes fal's text-to-image input ({@code prompt}, {@code num_images},
 * {@code image_size}) and answers fal's output with one solid-colour PNG of the requested size per
 * image, its colour from the prompt. Registered for the tests' in-process runtime through
 * {@code META-INF/services} in the gateway's test resources, which {@link java.util.ServiceLoader}
 * reads alongside the runtime's own.
 */
public final class FakeTextToImageTask implements Task {

  @Override
  public String name() {
    return "text-to-image";
  }

  @Override
  public boolean needsModelFile() {
    return false;
  }

  @Override
  public ServableModel load(ModelLoad load) {
    return new FakeTextToImageModel();
  }

  private static final class FakeTextToImageModel implements ServableModel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SIDE = 1024;

    @Override
    public InvocationResult invoke(Invocation invocation) throws InvalidInputException {
      long started = System.nanoTime();
      JsonNode input;
      try {
        input = JSON.readTree(invocation.body());
      } catch (IOException e) {
        throw new InvalidInputException("malformed_json", "the request body is not valid JSON: " + e.getMessage());
      }
      String prompt = input.path("prompt").asText("");
      int width = input.path("image_size").path("width").asInt(0);
      int height = input.path("image_size").path("height").asInt(0);
      if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
        throw new InvalidInputException("wrong_size", "image_size must have width and height from 1 to " + MAX_SIDE
            + ", got " + input.path("image_size"));
      }
      String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(png(width, height,
          new Color(prompt.hashCode() & 0xFFFFFF)));
      ObjectNode output = JsonNodeFactory.instance.objectNode();
      var images = output.putArray("images");
      for (int i = 0; i < input.path("num_images").asInt(1); i++) {
        images.addObject().put("url", png).put("width", width).put("height", height).put("content_type", "image/png");
      }
      try {
        return new InvocationResult(JSON.writeValueAsBytes(output), "application/json", System.nanoTime() - started);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static byte[] png(int width, int height, Color colour) {
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      var graphics = image.createGraphics();
      graphics.setColor(colour);
      graphics.fillRect(0, 0, width, height);
      graphics.dispose();
      var out = new ByteArrayOutputStream();
      try {
        ImageIO.write(image, "png", out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    @Override
    public ObjectNode metadata() {
      return JsonNodeFactory.instance.objectNode().put("platform", "fake-text-to-image");
    }

    @Override
    public void close() {}
  }
}
