package dev.kiln.runtime.task.tensor;

import java.util.List;
import java.util.Map;

/** A KServe v2 inference request: its optional id, the input tensors by name, and the outputs asked for (empty: all). */
record InferRequest(String id, Map<String, TensorData> inputs, List<String> outputs) {

  /** Rows in the first dimension (all inputs of a batchable model agree on it). */
  int rows() {
    return inputs.values().iterator().next().rows();
  }
}
