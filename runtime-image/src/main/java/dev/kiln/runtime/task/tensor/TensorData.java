package dev.kiln.runtime.task.tensor;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor in host memory: datatype, shape and its values in row-major order as a primitive array
 * ({@code float[]} for FP32, {@code long[]} for INT64...). Batching joins and splits them along the
 * first dimension.
 */
record TensorData(Datatype datatype, long[] shape, Object values) {

  int rows() {
    return (int) shape[0];
  }

  static long elementCount(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  OnnxTensor toOnnx(OrtEnvironment environment) throws OrtException {
    return switch (values) {
      case float[] floats -> OnnxTensor.createTensor(environment, FloatBuffer.wrap(floats), shape);
      case double[] doubles -> OnnxTensor.createTensor(environment, DoubleBuffer.wrap(doubles), shape);
      case long[] longs -> OnnxTensor.createTensor(environment, LongBuffer.wrap(longs), shape);
      case int[] ints -> OnnxTensor.createTensor(environment, IntBuffer.wrap(ints), shape);
      case byte[] bytes -> OnnxTensor.createTensor(environment, direct(bytes), shape, datatype.onnxType());
      case boolean[] booleans -> {
        byte[] bytes = new byte[booleans.length];
        for (int i = 0; i < booleans.length; i++) {
          bytes[i] = (byte) (booleans[i] ? 1 : 0);
        }
        yield OnnxTensor.createTensor(environment, direct(bytes), shape, datatype.onnxType());
      }
      default -> throw new IllegalStateException("unsupported tensor values " + values.getClass());
    };
  }

  static TensorData fromOnnx(OnnxTensor tensor) {
    Datatype datatype = Datatype.of(tensor.getInfo().type).orElseThrow(
        () -> new IllegalStateException("the model produced an unsupported tensor type " + tensor.getInfo().type));
    long[] shape = tensor.getInfo().getShape();
    Object values = switch (datatype) {
      case FP32 -> copy(tensor.getFloatBuffer());
      case FP64 -> copy(tensor.getDoubleBuffer());
      case INT64 -> copy(tensor.getLongBuffer());
      case INT32 -> copy(tensor.getIntBuffer());
      case UINT8, INT8 -> copy(tensor.getByteBuffer());
      case BOOL -> {
        byte[] bytes = copy(tensor.getByteBuffer());
        boolean[] booleans = new boolean[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
          booleans[i] = bytes[i] != 0;
        }
        yield booleans;
      }
    };
    return new TensorData(datatype, shape, values);
  }

  /** The tensors stacked along the first dimension; all have the same datatype and trailing dimensions. */
  static TensorData concat(List<TensorData> parts) {
    TensorData first = parts.getFirst();
    long rows = parts.stream().mapToLong(TensorData::rows).sum();
    long[] shape = first.shape.clone();
    shape[0] = rows;
    Object joined = first.datatype.newArray(Math.toIntExact(elementCount(shape)));
    int offset = 0;
    for (TensorData part : parts) {
      int length = Array.getLength(part.values);
      System.arraycopy(part.values, 0, joined, offset, length);
      offset += length;
    }
    return new TensorData(first.datatype, shape, joined);
  }

  /** Rows {@code [fromRow, fromRow + rowCount)} as a tensor of their own. */
  TensorData rows(int fromRow, int rowCount) {
    int rowLength = Math.toIntExact(elementCount(Arrays.copyOfRange(shape, 1, shape.length)));
    long[] partShape = shape.clone();
    partShape[0] = rowCount;
    Object part = datatype.newArray(rowLength * rowCount);
    System.arraycopy(values, fromRow * rowLength, part, 0, rowLength * rowCount);
    return new TensorData(datatype, partShape, part);
  }

  /** Whether {@code other} can be stacked with this one: same datatype and trailing dimensions. */
  boolean stacksWith(TensorData other) {
    return datatype == other.datatype && shape.length == other.shape.length
        && Arrays.equals(shape, 1, shape.length, other.shape, 1, other.shape.length);
  }

  private static ByteBuffer direct(byte[] bytes) {
    return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
  }

  private static float[] copy(FloatBuffer buffer) {
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private static double[] copy(DoubleBuffer buffer) {
    double[] values = new double[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private static long[] copy(LongBuffer buffer) {
    long[] values = new long[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private static int[] copy(IntBuffer buffer) {
    int[] values = new int[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private static byte[] copy(ByteBuffer buffer) {
    byte[] values = new byte[buffer.remaining()];
    buffer.get(values);
    return values;
  }
}
