package dev.kiln.runtime.task.tensor;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiln.runtime.onnx.OnnxSessions;
import dev.kiln.runtime.onnx.Timed;
import dev.kiln.runtime.task.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs requests through one ONNX Runtime session: one request as it is, several stacked into one
 * batch along the first dimension and split again afterwards. Only the run (on an execution
 * thread, with the copy of its outputs) is timed, not the wait for that thread;
 * and a batch's time is shared among its requests in proportion to their rows, in whole
 * nanoseconds that add up to the measured total.
 */
final class SessionRunner {

  private final OnnxSessions onnx;
  private final OrtSession session;

  SessionRunner(OnnxSessions onnx, OrtSession session) {
    this.onnx = onnx;
    this.session = session;
  }

  List<Executed> run(List<InferRequest> requests) throws InvalidInputException, InterruptedException {
    Map<String, TensorData> inputs = requests.size() == 1 ? requests.getFirst().inputs() : stack(requests);
    Map<String, OnnxTensor> tensors = new HashMap<>();
    try {
      for (Map.Entry<String, TensorData> input : inputs.entrySet()) {
        tensors.put(input.getKey(), input.getValue().toOnnx(onnx.environment()));
      }
      Timed<Map<String, TensorData>> executed = onnx.execute(() -> {
        Map<String, TensorData> outputs = new LinkedHashMap<>();
        try (OrtSession.Result result = session.run(tensors)) {
          for (Map.Entry<String, OnnxValue> output : result) {
            outputs.put(output.getKey(), TensorData.fromOnnx((OnnxTensor) output.getValue()));
          }
        }
        return outputs;
      });
      return requests.size() == 1
          ? List.of(new Executed(executed.value(), executed.runNanos()))
          : split(requests, executed.value(), executed.runNanos());
    } catch (OrtException e) {
      if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
        throw new InvalidInputException("invalid_input", "ONNX Runtime refused the input: " + e.getMessage());
      }
      throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private static Map<String, TensorData> stack(List<InferRequest> requests) {
    Map<String, TensorData> stacked = new HashMap<>();
    for (String name : requests.getFirst().inputs().keySet()) {
      stacked.put(name, TensorData.concat(requests.stream().map(request -> request.inputs().get(name)).toList()));
    }
    return stacked;
  }

  private static List<Executed> split(List<InferRequest> requests, Map<String, TensorData> outputs, long busyNanos) {
    long totalRows = requests.stream().mapToLong(InferRequest::rows).sum();
    List<Executed> executed = new ArrayList<>(requests.size());
    int row = 0;
    long assigned = 0;
    for (InferRequest request : requests) {
      Map<String, TensorData> own = new LinkedHashMap<>();
      for (Map.Entry<String, TensorData> output : outputs.entrySet()) {
        own.put(output.getKey(), output.getValue().rows(row, request.rows()));
      }
      long share = busyNanos * request.rows() / totalRows;
      executed.add(new Executed(own, share));
      assigned += share;
      row += request.rows();
    }
    // Integer division leaves a few nanoseconds unassigned: give them to the first request.
    Executed first = executed.getFirst();
    executed.set(0, new Executed(first.outputs(), first.busyNanos() + busyNanos - assigned));
    return executed;
  }
}
