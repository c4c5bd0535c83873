package dev.kiln.runtime.testmodels;

/**
 * The ONNX element types the test models use, with their {@code TensorProto.DataType} numbers: the
 * same numbers serve as a tensor's {@code data_type} and as a value's {@code elem_type}.
 */
public enum ElementType {
  FLOAT(1),
  INT64(7);

  private final int onnxCode;

  ElementType(int onnxCode) {
    this.onnxCode = onnxCode;
  }

  int onnxCode() {
    return onnxCode;
  }
}
