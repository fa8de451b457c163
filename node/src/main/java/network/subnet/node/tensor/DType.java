package network.subnet.node.tensor;

/** Element types that cross the wire. Byte sizes are fixed; all multi-byte values are little-endian. */
public enum DType {
  F32(4),
  F16(2),
  BF16(2),
  I64(8),
  I32(4),
  I16(2),
  U16(2),
  I8(1),
  U8(1);

  private final int byteSize;

  DType(int byteSize) {
    this.byteSize = byteSize;
  }

  public int byteSize() {
    return byteSize;
  }
}
