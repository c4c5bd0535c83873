package dev.kiln.runtime.testmodels;

/**
 * A node attribute, encoded as an ONNX {@code AttributeProto} when it is made: only the kinds the
 * test models need (an integer and a list of integers) exist.
 */
public final class Attribute {

  private static final int NAME = 1;
  private static final int I = 3;
  private static final int INTS = 8;
  private static final int TYPE = 20;
  private static final int TYPE_INT = 2;
  private static final int TYPE_INTS = 7;

  private final byte[] encoded;

  private Attribute(byte[] encoded) {
    this.encoded = encoded;
  }

  /** An {@code INT} attribute, such as Conv's {@code group}. */
  public static Attribute integer(String name, long value) {
    return new Attribute(
        Protobuf.message(
            out -> {
              out.writeString(NAME, name);
              out.writeInt32(TYPE, TYPE_INT);
              out.writeInt64(I, value);
            }));
  }

  /** An {@code INTS} attribute, such as Conv's {@code kernel_shape} or {@code pads}. */
  public static Attribute ints(String name, long... values) {
    return new Attribute(
        Protobuf.message(
            out -> {
              out.writeString(NAME, name);
              out.writeInt32(TYPE, TYPE_INTS);
              for (long value : values) {
                out.writeInt64(INTS, value);
              }
            }));
  }

  byte[] encoded() {
    return encoded;
  }
}
