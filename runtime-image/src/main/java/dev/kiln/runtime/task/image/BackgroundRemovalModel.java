package dev.kiln.runtime.task.image;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.onnx.OnnxSessions;
import dev.kiln.runtime.onnx.Timed;
import dev.kiln.runtime.task.InvalidInputException;
import dev.kiln.runtime.task.Invocation;
import dev.kiln.runtime.task.InvocationResult;
import dev.kiln.runtime.task.OnnxModelLoading;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * A loaded saliency model that cuts the foreground out of pictures: the answer is the picture as
 * an RGBA PNG whose alpha is the model's mask.
 *
 * <p>Busy time is the whole request: decoding, pre-processing, {@code session.run}, the mask and
 * PNG encoding, less the wait for an execution thread. All of it is work done for that request
 * alone, and for large pictures the work around the model outweighs the model itself.
 */
final class BackgroundRemovalModel implements OnnxModelLoading.WarmableModel {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String name;
  private final OnnxSessions onnx;
  private final OrtSession session;
  private final SaliencySignature signature;

  BackgroundRemovalModel(String name, OnnxSessions onnx, OrtSession session, SaliencySignature signature) {
    this.name = name;
    this.onnx = onnx;
    this.session = session;
    this.signature = signature;
  }

  @Override
  public InvocationResult invoke(Invocation invocation) throws InvalidInputException, InterruptedException {
    long started = System.nanoTime();
    ImageRequest request = ImageRequest.of(invocation);
    BufferedImage picture = ImageCodec.decode(request.image());
    Timed<SaliencyMask> mask = mask(picture);
    byte[] png = ImageCodec.encodePng(mask.value().cutOut(picture));
    byte[] body = request.answerJson() ? json(png, picture.getWidth(), picture.getHeight()) : png;
    return new InvocationResult(body, request.answerJson() ? "application/json" : "image/png",
        System.nanoTime() - started - mask.waitNanos());
  }

  /** Cuts out a blank picture of the model's input size once, so the first real request finds everything warm. */
  @Override
  public void warmUp() throws InterruptedException {
    BufferedImage blank = new BufferedImage(signature.width(), signature.height(), BufferedImage.TYPE_INT_RGB);
    ImageCodec.encodePng(mask(blank).value().cutOut(blank));
  }

  private Timed<SaliencyMask> mask(BufferedImage picture) throws InterruptedException {
    float[] pixels = U2NetPreprocessing.tensor(picture, signature.width(), signature.height());
    long[] shape = {1, 3, signature.height(), signature.width()};
    try (OnnxTensor input = OnnxTensor.createTensor(onnx.environment(), FloatBuffer.wrap(pixels), shape)) {
      return onnx.execute(() -> {
        try (OrtSession.Result result = session.run(Map.of(signature.input(), input), Set.of(signature.output()))) {
          OnnxTensor output = (OnnxTensor) result.get(0);
          long[] mapShape = output.getInfo().getShape();
          int height = Math.toIntExact(mapShape[mapShape.length - 2]);
          int width = Math.toIntExact(mapShape[mapShape.length - 1]);
          float[] map = new float[width * height];
          output.getFloatBuffer().get(map);
          return SaliencyMask.normalised(map, width, height);
        }
      });
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to run model " + name + ": " + e.getMessage(), e);
    }
  }

  /** The fal-style answer: the PNG inline as a data URI, with its size and dimensions. */
  private static byte[] json(byte[] png, int width, int height) {
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.putObject("image")
        .put("url", DataUri.png(png))
        .put("content_type", "image/png")
        .put("width", width)
        .put("height", height)
        .put("file_size", png.length);
    try {
      return MAPPER.writeValueAsBytes(answer);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ObjectNode metadata() {
    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    metadata.put("platform", "onnxruntime_onnx");
    metadata.put("task", "background-removal");
    metadata.putArray("accepts").add("image/png").add("image/jpeg").add("application/json");
    metadata.put("produces", "image/png");
    metadata.put("input", signature.input());
    metadata.put("inputWidth", signature.width());
    metadata.put("inputHeight", signature.height());
    metadata.put("maskOutput", signature.output());
    return metadata;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime session of " + name + " failed: " + e.getMessage(), e);
    }
  }
}
