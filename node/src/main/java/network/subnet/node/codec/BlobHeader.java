package network.subnet.node.codec;

import java.util.Arrays;
import network.subnet.node.tensor.DType;

/**
 * The self-describing start of every blob: magic {@code "SNCB"}, codec id and version (one byte each), the original
 * dtype, the rank and each dimension (varints). The payload that follows is the codec's own.
 */
public record BlobHeader(int codecId, int codecVersion, DType dtype, long[] shape) {

  static final int MAGIC = 0x42434E53; // "SNCB" little-endian
  static final int MAX_RANK = 8;

  public BlobHeader {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The last dimension: neighbouring rows of it are what the context models look at. */
  int rowLength() {
    return shape.length == 0 ? 1 : (int) Math.max(1, shape[shape.length - 1]);
  }

  void write(ByteWriter w) {
    w.u32(MAGIC);
    w.u8(codecId);
    w.u8(codecVersion);
    w.u8(dtypeCode(dtype));
    w.u8(shape.length);
    for (long d : shape) {
      w.varint(d);
    }
  }

  /** Reads and checks a header; {@code maxElements} bounds what the payload may ask the decoder to allocate. */
  static BlobHeader read(ByteReader r, long maxElements) {
    if (r.remaining() < 4 || r.u32("magic") != MAGIC) {
      throw new CodecException("not a codec blob (bad magic)");
    }
    int id = r.u8("codec id");
    int version = r.u8("codec version");
    DType dtype = dtypeOf(r.u8("dtype"));
    int rank = r.u8("rank");
    if (rank > MAX_RANK) {
      throw new CodecException("corrupt blob: rank " + rank + " exceeds " + MAX_RANK);
    }
    long[] shape = new long[rank];
    long n = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = r.varint("dimension");
      if (shape[i] < 0 || shape[i] > maxElements) {
        throw new CodecException(
            "blob declares dimension %d, above the limit of %d elements".formatted(shape[i], maxElements));
      }
      n = shape[i] == 0 ? 0 : n * shape[i];
      if (n > maxElements) {
        throw new CodecException(
            "blob declares shape %s, above the limit of %d elements".formatted(Arrays.toString(shape), maxElements));
      }
    }
    if (n == 0) {
      throw new CodecException("blob declares an empty tensor " + Arrays.toString(shape));
    }
    return new BlobHeader(id, version, dtype, shape);
  }

  static int dtypeCode(DType dtype) {
    return switch (dtype) {
      case F32 -> 1;
      case F16 -> 2;
      case BF16 -> 3;
      default -> throw new CodecException("codecs take F32, F16 or BF16 tensors, not " + dtype);
    };
  }

  static DType dtypeOf(int code) {
    return switch (code) {
      case 1 -> DType.F32;
      case 2 -> DType.F16;
      case 3 -> DType.BF16;
      default -> throw new CodecException("corrupt blob: unknown dtype code " + code);
    };
  }
}
