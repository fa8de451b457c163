package network.subnet.node.compete.micronet;

/** ONNX {@code TensorProto.DataType} codes and their widths in bits (onnx.proto, ONNX 1.17). */
final class OnnxDataType {

  static final int FLOAT = 1;
  static final int UINT8 = 2;
  static final int INT8 = 3;
  static final int UINT16 = 4;
  static final int INT16 = 5;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int STRING = 8;
  static final int BOOL = 9;
  static final int FLOAT16 = 10;
  static final int DOUBLE = 11;
  static final int UINT32 = 12;
  static final int UINT64 = 13;
  static final int COMPLEX64 = 14;
  static final int COMPLEX128 = 15;
  static final int BFLOAT16 = 16;
  static final int FLOAT8E4M3FN = 17;
  static final int FLOAT8E4M3FNUZ = 18;
  static final int FLOAT8E5M2 = 19;
  static final int FLOAT8E5M2FNUZ = 20;
  static final int UINT4 = 21;
  static final int INT4 = 22;
  static final int FLOAT4E2M1 = 23;

  private OnnxDataType() {}

  /** Bits per element; 0 for types that hold no numbers (strings) or are unknown. */
  static int bits(int type) {
    return switch (type) {
      case BOOL -> 1;
      case UINT4, INT4, FLOAT4E2M1 -> 4;
      case UINT8, INT8, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> 8;
      case UINT16, INT16, FLOAT16, BFLOAT16 -> 16;
      case FLOAT, INT32, UINT32 -> 32;
      case INT64, UINT64, DOUBLE, COMPLEX64 -> 64;
      case COMPLEX128 -> 128;
      default -> 0;
    };
  }

  static boolean isFloat(int type) {
    return switch (type) {
      case FLOAT, FLOAT16, DOUBLE, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT4E2M1 ->
          true;
      default -> false;
    };
  }
}
