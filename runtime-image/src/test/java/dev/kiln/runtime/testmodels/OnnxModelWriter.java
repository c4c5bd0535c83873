package dev.kiln.runtime.testmodels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes an ONNX model (a {@code ModelProto}, IR version 8, default-domain opset 13) field by
 * field, so that tests build the real models they run instead of committing binary files. Only the
 * fields those models need are written; their numbers are those of onnx.proto.
 *
 * <pre>{@code
 * byte[] model = OnnxModelWriter.graph("linear")
 *     .input("x", FLOAT, "batch", 4)
 *     .initializer("W", new long[] {4, 3}, weights)
 *     .node("MatMul", List.of("x", "W"), List.of("y"))
 *     .output("y", FLOAT, "batch", 3)
 *     .toBytes();
 * }</pre>
 */
public final class OnnxModelWriter {

  static final long IR_VERSION = 8;
  static final long OPSET_VERSION = 13;

  private final String name;
  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();

  private OnnxModelWriter(String name) {
    this.name = name;
  }

  /** Starts a model whose graph has this name. */
  public static OnnxModelWriter graph(String name) {
    return new OnnxModelWriter(name);
  }

  /**
   * Declares a graph input. Each dimension is either a number (a fixed size) or a string (a
   * symbolic size, such as {@code "batch"}, that ONNX Runtime reports as -1).
   */
  public OnnxModelWriter input(String name, ElementType type, Object... dims) {
    inputs.add(valueInfo(name, type, dims));
    return this;
  }

  /** Declares a graph output; dimensions as for {@link #input}. */
  public OnnxModelWriter output(String name, ElementType type, Object... dims) {
    outputs.add(valueInfo(name, type, dims));
    return this;
  }

  /** Adds a constant float32 tensor, values in row-major order. */
  public OnnxModelWriter initializer(String name, long[] dims, float[] values) {
    checkCount(name, dims, values.length);
    ByteBuffer raw = littleEndian(Float.BYTES * values.length);
    raw.asFloatBuffer().put(values);
    initializers.add(tensor(name, dims, ElementType.FLOAT, raw.array()));
    return this;
  }

  /** Adds a constant int64 tensor, values in row-major order. */
  public OnnxModelWriter initializer(String name, long[] dims, long[] values) {
    checkCount(name, dims, values.length);
    ByteBuffer raw = littleEndian(Long.BYTES * values.length);
    raw.asLongBuffer().put(values);
    initializers.add(tensor(name, dims, ElementType.INT64, raw.array()));
    return this;
  }

  /** Adds a node of a default-domain operator; nodes must be added in topological order. */
  public OnnxModelWriter node(
      String opType, List<String> inputs, List<String> outputs, Attribute... attributes) {
    String nodeName = opType + "_" + nodes.size();
    nodes.add(
        Protobuf.message(
            out -> {
              for (String input : inputs) {
                out.writeString(1, input);
              }
              for (String output : outputs) {
                out.writeString(2, output);
              }
              out.writeString(3, nodeName);
              out.writeString(4, opType);
              for (Attribute attribute : attributes) {
                out.writeByteArray(5, attribute.encoded());
              }
            }));
    return this;
  }

  /** The encoded {@code ModelProto}. */
  public byte[] toBytes() {
    byte[] graph =
        Protobuf.message(
            out -> {
              for (byte[] node : nodes) {
                out.writeByteArray(1, node);
              }
              out.writeString(2, name);
              for (byte[] initializer : initializers) {
                out.writeByteArray(5, initializer);
              }
              for (byte[] input : inputs) {
                out.writeByteArray(11, input);
              }
              for (byte[] output : outputs) {
                out.writeByteArray(12, output);
              }
            });
    byte[] opset =
        Protobuf.message(
            out -> {
              out.writeString(1, "");
              out.writeInt64(2, OPSET_VERSION);
            });
    return Protobuf.message(
        out -> {
          out.writeInt64(1, IR_VERSION);
          out.writeString(2, "kiln-tests");
          out.writeByteArray(7, graph);
          out.writeByteArray(8, opset);
        });
  }

  private static byte[] tensor(String name, long[] dims, ElementType type, byte[] rawData) {
    return Protobuf.message(
        out -> {
          for (long dim : dims) {
            out.writeInt64(1, dim);
          }
          out.writeInt32(2, type.onnxCode());
          out.writeString(8, name);
          out.writeByteArray(9, rawData);
        });
  }

  /** A {@code ValueInfoProto} whose type is a tensor ({@code TypeProto.tensor_type}). */
  private static byte[] valueInfo(String name, ElementType type, Object[] dims) {
    byte[] shape =
        Protobuf.message(
            out -> {
              for (Object dim : dims) {
                out.writeByteArray(1, dimension(dim));
              }
            });
    byte[] tensorType =
        Protobuf.message(
            out -> {
              out.writeInt32(1, type.onnxCode());
              out.writeByteArray(2, shape);
            });
    byte[] typeProto = Protobuf.message(out -> out.writeByteArray(1, tensorType));
    return Protobuf.message(
        out -> {
          out.writeString(1, name);
          out.writeByteArray(2, typeProto);
        });
  }

  private static byte[] dimension(Object dim) {
    return switch (dim) {
      case Number size -> Protobuf.message(out -> out.writeInt64(1, size.longValue()));
      case String symbol -> Protobuf.message(out -> out.writeString(2, symbol));
      default ->
          throw new IllegalArgumentException("a dimension is a number or a name, not " + dim);
    };
  }

  private static void checkCount(String name, long[] dims, int count) {
    long expected = Arrays.stream(dims).reduce(1, Math::multiplyExact);
    if (expected != count) {
      throw new IllegalArgumentException(
          name + " has shape " + Arrays.toString(dims) + " (" + expected + " values), not "
              + count);
    }
  }

  private static ByteBuffer littleEndian(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
