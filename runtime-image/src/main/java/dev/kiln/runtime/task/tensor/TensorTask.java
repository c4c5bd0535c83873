package dev.kiln.runtime.task.tensor;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiln.runtime.task.InvalidInputException;
import dev.kiln.runtime.task.ModelLoad;
import dev.kiln.runtime.task.ModelLoadException;
import dev.kiln.runtime.task.ServableModel;
import dev.kiln.runtime.task.Task;
import dev.kiln.runtime.task.OnnxModelFile;
import java.nio.file.Path;
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
    Path file = OnnxModelFile.find(load.modelPath(), load.options());
    OrtSession session;
    try {
      session = load.onnx().open(file, load.session());
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load " + file.getFileName() + ": " + e.getMessage()
          + " (is it an ONNX model, and is spec.source the right file?)", e);
    }
    TensorModel model;
    try {
      Map<String, TensorSpec> inputs = specs(session.getInputInfo());
      Map<String, TensorSpec> outputs = specs(session.getOutputInfo());
      var runner = new SessionRunner(load.onnx(), session);
      boolean batchable = load.batching().enabled()
          && inputs.values().stream().allMatch(TensorSpec::hasBatchDimension);
      model = new TensorModel(load.name(), session, inputs, outputs, runner,
          batchable ? new DynamicBatcher(load.name(), runner, load.batching()) : null);
    } catch (OrtException | ModelLoadException e) {
      closeQuietly(session);
      throw e instanceof ModelLoadException failed ? failed
          : new ModelLoadException("cannot read the inputs and outputs of " + load.name() + ": " + e.getMessage(), e);
    }
    try {
      model.warmUp();
    } catch (InvalidInputException | RuntimeException e) {
      model.close();
      throw new ModelLoadException("the warm-up inference of " + load.name() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      model.close();
      Thread.currentThread().interrupt();
      throw new ModelLoadException("the load of " + load.name() + " was interrupted during its warm-up", e);
    }
    return model;
  }

  private static Map<String, TensorSpec> specs(Map<String, NodeInfo> nodes) throws ModelLoadException {
    Map<String, TensorSpec> specs = new LinkedHashMap<>();
    for (NodeInfo node : nodes.values()) {
      specs.put(node.getName(), TensorSpec.of(node));
    }
    return specs;
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // already failing with the reason that matters
    }
  }
}
