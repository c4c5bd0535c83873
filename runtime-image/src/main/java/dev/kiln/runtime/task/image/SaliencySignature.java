package dev.kiln.runtime.task.image;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.task.ModelLoadException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The inputs and outputs a saliency model (U²-Net and the like) must have: one float32 image input
 * {@code [batch, 3, height, width]} with a fixed height and width, and a float32 map output
 * {@code [batch, 1, height', width']}: the one named by option {@code output}, else the first.
 */
record SaliencySignature(String input, int width, int height, String output) {

  static SaliencySignature of(String model, OrtSession session, JsonNode options)
      throws ModelLoadException, OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    long[] image = inputs.size() == 1 ? floatShape(inputs.values().iterator().next()) : null;
    if (image == null || image.length != 4 || (image[0] != -1 && image[0] != 1) || image[1] != 3 || image[2] < 1
        || image[3] < 1) {
      throw new ModelLoadException("background-removal needs a model whose only input is a float32 image "
          + "[batch, 3, height, width] with a fixed height and width (U²-Net-p takes [1, 3, 320, 320]); model "
          + model + " has inputs " + describe(inputs) + ": use task tensor for other models");
    }
    String output = options.path("output").asText(outputs.keySet().iterator().next());
    if (!outputs.containsKey(output)) {
      throw new ModelLoadException("options.output names " + output + ", which model " + model
          + " does not have; its outputs are " + describe(outputs));
    }
    long[] map = floatShape(outputs.get(output));
    if (map == null || map.length != 4 || (map[1] != 1 && map[1] != -1)) {
      throw new ModelLoadException("background-removal takes the mask from a float32 output [batch, 1, height, "
          + "width], but output " + output + " of model " + model + " is " + describe(Map.of(output,
          outputs.get(output))) + ": name the saliency map in options.output");
    }
    return new SaliencySignature(inputs.keySet().iterator().next(), Math.toIntExact(image[3]),
        Math.toIntExact(image[2]), output);
  }

  /** The shape of a float tensor, or {@code null} for anything else. */
  private static long[] floatShape(NodeInfo node) {
    return node.getInfo() instanceof TensorInfo info && info.type == OnnxJavaType.FLOAT ? info.getShape() : null;
  }

  private static String describe(Map<String, NodeInfo> nodes) {
    return nodes.values().stream().map(node -> node.getName() + ": " + (node.getInfo() instanceof TensorInfo info
            ? info.type + " " + Arrays.toString(info.getShape()) : node.getInfo().toString()))
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
