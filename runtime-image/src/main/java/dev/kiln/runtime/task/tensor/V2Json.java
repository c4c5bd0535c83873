package dev.kiln.runtime.task.tensor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.runtime.task.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the KServe Open Inference Protocol v2 JSON body: {@code inputs} with
 * {@code name}, {@code shape}, {@code datatype} and {@code data} (flat or nested, row-major), and
 * {@code outputs} the same way. Every mistake in a request is reported with what was expected.
 */
final class V2Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private V2Json() {}

  static InferRequest readRequest(byte[] body) throws InvalidInputException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed_json", "the request body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException("malformed_request", "the request body must be a JSON object with \"inputs\"");
    }
    JsonNode inputs = root.path("inputs");
    if (!inputs.isArray() || inputs.isEmpty()) {
      throw new InvalidInputException("malformed_request",
          "\"inputs\" must be a non-empty array of {\"name\", \"shape\", \"datatype\", \"data\"}");
    }
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (JsonNode input : inputs) {
      String name = input.path("name").asText("");
      if (name.isEmpty()) {
        throw new InvalidInputException("malformed_request", "every input needs a \"name\"");
      }
      if (tensors.put(name, readTensor(name, input)) != null) {
        throw new InvalidInputException("malformed_request", "input " + name + " is given twice");
      }
    }
    List<String> outputs = new ArrayList<>();
    for (JsonNode output : root.path("outputs")) {
      outputs.add(output.path("name").asText(""));
    }
    JsonNode id = root.get("id");
    return new InferRequest(id == null || id.isNull() ? null : id.asText(), tensors, outputs);
  }

  private static TensorData readTensor(String name, JsonNode input) throws InvalidInputException {
    String datatypeName = input.path("datatype").asText("");
    Datatype datatype = Datatype.named(datatypeName).orElseThrow(() -> new InvalidInputException("wrong_datatype",
        "input " + name + " has datatype \"" + datatypeName + "\"; use one of " + Arrays.toString(Datatype.values())));
    JsonNode shapeNode = input.path("shape");
    if (!shapeNode.isArray()) {
      throw new InvalidInputException("malformed_request", "input " + name + " needs a \"shape\" array, e.g. [1, 4]");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode dim = shapeNode.get(i);
      if (!dim.canConvertToLong() || !dim.isIntegralNumber() || dim.asLong() < 0) {
        throw new InvalidInputException("wrong_shape",
            "input " + name + " has shape " + shapeNode + ": dimensions must be whole numbers of 0 or more");
      }
      shape[i] = dim.asLong();
    }
    List<JsonNode> values = new ArrayList<>();
    flatten(input.path("data"), values);
    long expected = TensorData.elementCount(shape);
    if (values.size() != expected) {
      throw new InvalidInputException("wrong_shape", "input " + name + " has shape " + Arrays.toString(shape) + ", which "
          + "holds " + expected + " values, but \"data\" has " + values.size());
    }
    Object array = datatype.newArray(values.size());
    for (int i = 0; i < values.size(); i++) {
      set(array, i, values.get(i), datatype, name);
    }
    return new TensorData(datatype, shape, array);
  }

  private static void flatten(JsonNode node, List<JsonNode> into) {
    if (node.isArray()) {
      node.forEach(element -> flatten(element, into));
    } else if (!node.isMissingNode()) {
      into.add(node);
    }
  }

  private static void set(Object array, int index, JsonNode value, Datatype datatype, String name)
      throws InvalidInputException {
    boolean ok = switch (datatype) {
      case BOOL -> value.isBoolean();
      case FP32, FP64 -> value.isNumber();
      case INT64 -> value.isIntegralNumber() && value.canConvertToLong();
      case INT32 -> value.isIntegralNumber() && value.canConvertToInt();
      case INT8 -> value.isIntegralNumber() && value.canConvertToInt() && value.asInt() >= -128 && value.asInt() <= 127;
      case UINT8 -> value.isIntegralNumber() && value.canConvertToInt() && value.asInt() >= 0 && value.asInt() <= 255;
    };
    if (!ok) {
      throw new InvalidInputException("wrong_datatype",
          "input " + name + " is " + datatype + " but its value at index " + index + " is " + value);
    }
    switch (array) {
      case boolean[] booleans -> booleans[index] = value.asBoolean();
      case byte[] bytes -> bytes[index] = (byte) value.asInt();
      case int[] ints -> ints[index] = value.asInt();
      case long[] longs -> longs[index] = value.asLong();
      case float[] floats -> floats[index] = value.floatValue();
      case double[] doubles -> doubles[index] = value.asDouble();
      default -> throw new IllegalStateException("unsupported array " + array.getClass());
    }
  }

  static byte[] writeResponse(String modelName, String id, Map<String, TensorData> outputs) {
    var buffer = new ByteArrayOutputStream();
    try (JsonGenerator json = FACTORY.createGenerator(buffer)) {
      json.writeStartObject();
      json.writeStringField("model_name", modelName);
      if (id != null) {
        json.writeStringField("id", id);
      }
      json.writeArrayFieldStart("outputs");
      for (Map.Entry<String, TensorData> output : outputs.entrySet()) {
        TensorData tensor = output.getValue();
        json.writeStartObject();
        json.writeStringField("name", output.getKey());
        json.writeStringField("datatype", tensor.datatype().name());
        json.writeFieldName("shape");
        json.writeArray(tensor.shape(), 0, tensor.shape().length);
        json.writeFieldName("data");
        writeValues(json, tensor.values(), tensor.datatype() == Datatype.UINT8);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static void writeValues(JsonGenerator json, Object values, boolean unsigned) throws IOException {
    switch (values) {
      case long[] longs -> json.writeArray(longs, 0, longs.length);
      case int[] ints -> json.writeArray(ints, 0, ints.length);
      case double[] doubles -> json.writeArray(doubles, 0, doubles.length);
      case float[] floats -> {
        json.writeStartArray();
        for (float value : floats) {
          json.writeNumber(value);
        }
        json.writeEndArray();
      }
      case byte[] bytes -> {
        json.writeStartArray();
        for (byte value : bytes) {
          json.writeNumber(unsigned ? value & 0xFF : value);
        }
        json.writeEndArray();
      }
      case boolean[] booleans -> {
        json.writeStartArray();
        for (boolean value : booleans) {
          json.writeBoolean(value);
        }
        json.writeEndArray();
      }
      default -> throw new IllegalStateException("unsupported array " + values.getClass());
    }
  }
}
