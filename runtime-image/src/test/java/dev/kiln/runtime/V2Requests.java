package dev.kiln.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** KServe v2 request bodies and output readers for tests. */
final class V2Requests {

  private V2Requests() {}

  static String fp32(String input, long[] shape, float[] data) {
    ObjectNode root = RuntimeClient.JSON.createObjectNode();
    ObjectNode tensor = root.putArray("inputs").addObject();
    tensor.put("name", input).put("datatype", "FP32");
    ArrayNode dims = tensor.putArray("shape");
    for (long dim : shape) {
      dims.add(dim);
    }
    ArrayNode values = tensor.putArray("data");
    for (float value : data) {
      values.add(value);
    }
    return root.toString();
  }

  static float[] fp32Output(JsonNode response, String name) {
    for (JsonNode output : response.path("outputs")) {
      if (output.path("name").asText().equals(name)) {
        JsonNode data = output.path("data");
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = data.get(i).floatValue();
        }
        return values;
      }
    }
    throw new AssertionError("no output " + name + " in " + response);
  }
}
