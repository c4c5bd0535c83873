package dev.kiln.runtime.task.tensor;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.task.InvalidInputException;
import dev.kiln.runtime.task.Invocation;
import dev.kiln.runtime.task.InvocationResult;
import dev.kiln.runtime.task.OnnxModelLoading;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A loaded ONNX model served with KServe v2 JSON, batched when it has a batch dimension and batching is on. */
final class TensorModel implements OnnxModelLoading.WarmableModel {

  private final String name;
  private final OrtSession session;
  private final Map<String, TensorSpec> inputs;
  private final Map<String, TensorSpec> outputs;
  private final SessionRunner runner;
  private final DynamicBatcher batcher;

  TensorModel(String name, OrtSession session, Map<String, TensorSpec> inputs, Map<String, TensorSpec> outputs,
      SessionRunner runner, DynamicBatcher batcher) {
    this.name = name;
    this.session = session;
    this.inputs = inputs;
    this.outputs = outputs;
    this.runner = runner;
    this.batcher = batcher;
  }

  @Override
  public InvocationResult invoke(Invocation invocation) throws InvalidInputException, InterruptedException {
    InferRequest request = V2Json.readRequest(invocation.body());
    check(request);
    Executed executed = batcher != null && batchable(request)
        ? batcher.submit(request)
        : runner.run(List.of(request)).getFirst();
    Map<String, TensorData> selected = new LinkedHashMap<>(executed.outputs());
    if (!request.outputs().isEmpty()) {
      selected.keySet().retainAll(request.outputs());
    }
    return new InvocationResult(V2Json.writeResponse(name, request.id(), selected), "application/json",
        executed.busyNanos());
  }

  /** Runs a zero-filled input of the smallest valid shape once, so the first real request finds the session warm. */
  @Override
  public void warmUp() throws InvalidInputException, InterruptedException {
    Map<String, TensorData> zeros = new LinkedHashMap<>();
    for (TensorSpec input : inputs.values()) {
      long[] shape = input.smallestShape();
      zeros.put(input.name(), new TensorData(input.datatype(), shape,
          input.datatype().newArray(Math.toIntExact(TensorData.elementCount(shape)))));
    }
    runner.run(List.of(new InferRequest(null, zeros, List.of())));
  }

  private void check(InferRequest request) throws InvalidInputException {
    for (String given : request.inputs().keySet()) {
      if (!inputs.containsKey(given)) {
        throw new InvalidInputException("unknown_input",
            "model " + name + " has no input " + given + "; its inputs are " + inputs.keySet());
      }
    }
    for (TensorSpec input : inputs.values()) {
      TensorData data = request.inputs().get(input.name());
      if (data == null) {
        throw new InvalidInputException("missing_input", "model " + name + " needs input " + input.name()
            + " (" + input.datatype() + ", shape " + java.util.Arrays.toString(input.shape()) + ")");
      }
      input.check(data);
    }
    for (String wanted : request.outputs()) {
      if (!outputs.containsKey(wanted)) {
        throw new InvalidInputException("unknown_output",
            "model " + name + " has no output " + wanted + "; its outputs are " + outputs.keySet());
      }
    }
  }

  /** Requests whose inputs all have the same number of rows can share a batch. */
  private static boolean batchable(InferRequest request) {
    return request.inputs().values().stream().mapToInt(TensorData::rows).distinct().count() == 1;
  }

  @Override
  public ObjectNode metadata() {
    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    metadata.put("platform", "onnxruntime_onnx");
    describe(metadata.putArray("inputs"), inputs.values());
    describe(metadata.putArray("outputs"), outputs.values());
    return metadata;
  }

  private static void describe(ArrayNode into, Collection<TensorSpec> tensors) {
    for (TensorSpec tensor : tensors) {
      ObjectNode node = into.addObject();
      node.put("name", tensor.name());
      node.put("datatype", tensor.datatype().name());
      ArrayNode shape = node.putArray("shape");
      for (long dim : tensor.shape()) {
        shape.add(dim);
      }
    }
  }

  @Override
  public int queued() {
    return batcher == null ? 0 : batcher.queued();
  }

  @Override
  public long batches() {
    return batcher == null ? 0 : batcher.batches();
  }

  @Override
  public void close() {
    if (batcher != null) {
      batcher.close();
    }
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime session of " + name + " failed: " + e.getMessage(), e);
    }
  }
}
