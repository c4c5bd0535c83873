package dev.kiln.runtime.task.tensor;

import ai.onnxruntime.OnnxJavaType;
import java.util.Arrays;
import java.util.Optional;

/** The KServe v2 tensor datatypes Kiln serves, and the ONNX Runtime type each one is. */
enum Datatype {
  BOOL(OnnxJavaType.BOOL),
  UINT8(OnnxJavaType.UINT8),
  INT8(OnnxJavaType.INT8),
  INT32(OnnxJavaType.INT32),
  INT64(OnnxJavaType.INT64),
  FP32(OnnxJavaType.FLOAT),
  FP64(OnnxJavaType.DOUBLE);

  private final OnnxJavaType onnxType;

  Datatype(OnnxJavaType onnxType) {
    this.onnxType = onnxType;
  }

  OnnxJavaType onnxType() {
    return onnxType;
  }

  static Optional<Datatype> of(OnnxJavaType onnxType) {
    return Arrays.stream(values()).filter(type -> type.onnxType == onnxType).findFirst();
  }

  static Optional<Datatype> named(String name) {
    return Arrays.stream(values()).filter(type -> type.name().equals(name)).findFirst();
  }

  /** A new primitive array of this type with {@code length} elements. */
  Object newArray(int length) {
    return switch (this) {
      case BOOL -> new boolean[length];
      case UINT8, INT8 -> new byte[length];
      case INT32 -> new int[length];
      case INT64 -> new long[length];
      case FP32 -> new float[length];
      case FP64 -> new double[length];
    };
  }
}
