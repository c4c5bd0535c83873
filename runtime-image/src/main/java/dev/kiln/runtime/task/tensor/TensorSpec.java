package dev.kiln.runtime.task.tensor;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import dev.kiln.runtime.task.InvalidInputException;
import dev.kiln.runtime.task.ModelLoadException;
import java.util.Arrays;

/** One declared input or output of a model: name, datatype and shape, where -1 is a dimension of any size. */
record TensorSpec(String name, Datatype datatype, long[] shape) {

  static TensorSpec of(NodeInfo node) throws ModelLoadException {
    if (!(node.getInfo() instanceof TensorInfo info)) {
      throw new ModelLoadException("model " + node.getName() + " is not a tensor (" + node.getInfo()
          + "): tensor models take and return tensors only");
    }
    Datatype datatype = Datatype.of(info.type).orElseThrow(() -> new ModelLoadException(
        "tensor " + node.getName() + " has type " + info.type + ", which Kiln does not serve (supported: "
            + Arrays.toString(Datatype.values()) + ")"));
    return new TensorSpec(node.getName(), datatype, info.getShape());
  }

  /** Whether the first dimension is free, so requests can be stacked into one batch. */
  boolean hasBatchDimension() {
    return shape.length > 0 && shape[0] == -1;
  }

  void check(TensorData data) throws InvalidInputException {
    if (data.datatype() != datatype) {
      throw new InvalidInputException("wrong_datatype",
          "input " + name + " must be " + datatype + ", got " + data.datatype());
    }
    boolean matches = data.shape().length == shape.length;
    for (int i = 0; matches && i < shape.length; i++) {
      matches = shape[i] == -1 ? data.shape()[i] >= 1 : shape[i] == data.shape()[i];
    }
    if (!matches) {
      throw new InvalidInputException("wrong_shape", "input " + name + " must have shape " + Arrays.toString(shape)
          + " (-1: any size of 1 or more), got " + Arrays.toString(data.shape()));
    }
  }

  /** The shape with every free dimension set to 1: the smallest valid input, used to warm the model up. */
  long[] smallestShape() {
    return Arrays.stream(shape).map(dim -> dim == -1 ? 1 : dim).toArray();
  }
}
