package dev.kiln.runtime.task.tensor;

import ai.onnxruntime.NodeInfo;
import dev.kiln.runtime.task.ModelLoad;
import dev.kiln.runtime.task.ModelLoadException;
import dev.kiln.runtime.task.OnnxModelLoading;
import dev.kiln.runtime.task.ServableModel;
import dev.kiln.runtime.task.Task;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tensor}: any ONNX model, served with the KServe Open Inference Protocol v2 (JSON tensors
 * in, JSON tensors out), with dynamic batching for models whose inputs all have a free first
 * dimension.
 */
public final class TensorTask implements Task {

  @Override
  public String name() {
    return "tensor";
  }

  @Override
  public ServableModel load(ModelLoad load) throws ModelLoadException {
    return OnnxModelLoading.load(load, session -> {
      Map<String, TensorSpec> inputs = specs(session.getInputInfo());
      Map<String, TensorSpec> outputs = specs(session.getOutputInfo());
      var runner = new SessionRunner(load.onnx(), session);
      boolean batchable = load.batching().enabled()
          && inputs.values().stream().allMatch(TensorSpec::hasBatchDimension);
      return new TensorModel(load.name(), session, inputs, outputs, runner,
          batchable ? new DynamicBatcher(load.name(), runner, load.batching()) : null);
    });
  }

  private static Map<String, TensorSpec> specs(Map<String, NodeInfo> nodes) throws ModelLoadException {
    Map<String, TensorSpec> specs = new LinkedHashMap<>();
    for (NodeInfo node : nodes.values()) {
      specs.put(node.getName(), TensorSpec.of(node));
    }
    return specs;
  }
}
