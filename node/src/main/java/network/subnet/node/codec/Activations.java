package network.subnet.node.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;

/**
 * A tensor checked for the codecs (F32, F16 or BF16; non-empty; finite; not all zero) and widened to fp32 once, with
 * its original bytes kept for the lossless codecs and its squared norm for the similarity search.
 */
public final class Activations {

  private static final VarHandle CHAR_LE = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  final DType dtype;
  final long[] shape;
  final byte[] raw;
  final float[] values;
  final int rowLength;
  final double sumSquares;
  /** The largest magnitude. */
  final float maxAbs;

  private Activations(DType dtype, long[] shape, byte[] raw, float[] values, double sumSquares, float maxAbs) {
    this.dtype = dtype;
    this.shape = shape;
    this.raw = raw;
    this.values = values;
    this.rowLength = shape.length == 0 ? 1 : (int) Math.max(1, shape[shape.length - 1]);
    this.sumSquares = sumSquares;
    this.maxAbs = maxAbs;
  }

  /** Checks and widens {@code t}; refuses tensors over {@code maxElements}. */
  public static Activations of(DenseTensor t, long maxElements) {
    DType dtype = t.dtype();
    BlobHeader.dtypeCode(dtype);
    long n = t.elementCount();
    long[] shape = t.shape();
    if (n == 0) {
      throw new CodecException("tensor of shape " + Arrays.toString(shape) + " is empty");
    }
    if (n > maxElements) {
      throw new CodecException("tensor of %d elements is above the limit of %d".formatted(n, maxElements));
    }
    if (shape.length > BlobHeader.MAX_RANK) {
      throw new CodecException("tensor rank " + shape.length + " exceeds " + BlobHeader.MAX_RANK);
    }
    byte[] raw = t.data();
    float[] values = toFloats(dtype, raw, (int) n);
    // For finite floats the order of the magnitude bits is the order of the magnitudes, and anything at or above the
    // infinity pattern is not finite: one integer max finds both. The squared norm is summed in Similarity's order.
    int maxBits = 0;
    double ss0 = 0;
    double ss1 = 0;
    int i = 0;
    for (; i + 1 < values.length; i += 2) {
      float v0 = values[i];
      float v1 = values[i + 1];
      int m = Math.max(Float.floatToRawIntBits(v0) & 0x7FFFFFFF, Float.floatToRawIntBits(v1) & 0x7FFFFFFF);
      maxBits = Math.max(maxBits, m);
      ss0 += (double) v0 * v0;
      ss1 += (double) v1 * v1;
    }
    if (i < values.length) {
      float v0 = values[i];
      maxBits = Math.max(maxBits, Float.floatToRawIntBits(v0) & 0x7FFFFFFF);
      ss0 += (double) v0 * v0;
    }
    if (maxBits >= 0x7F800000) {
      for (int j = 0; j < values.length; j++) {
        if (!Float.isFinite(values[j])) {
          throw new CodecException("tensor holds a non-finite value (" + values[j] + ") at flat index " + j);
        }
      }
    }
    double ss = ss0 + ss1;
    if (ss == 0) {
      throw new CodecException("tensor is all zeros: the Apex similarity is undefined for it");
    }
    return new Activations(dtype, shape, raw, values, ss, Float.intBitsToFloat(maxBits));
  }

  public DType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int elementCount() {
    return values.length;
  }

  /** Size in bytes of the original tensor, the numerator of the compression ratio. */
  public long originalBytes() {
    return (long) values.length * dtype.byteSize();
  }

  /** The values widened to fp32 (shared, do not modify). */
  public float[] values() {
    return values;
  }

  /** fp32 values as a tensor of {@code dtype}, narrowed with round-to-nearest-even (a teacher's output as bf16). */
  public static DenseTensor tensor(DType dtype, long[] shape, float[] values) {
    return new DenseTensor(dtype, shape, toBytes(dtype, values));
  }

  static float[] toFloats(DType dtype, byte[] raw, int n) {
    float[] out = new float[n];
    switch (dtype) {
      case F32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((int) INT_LE.get(raw, 4 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((char) CHAR_LE.get(raw, 2 * i) << 16);
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.float16ToFloat((short) (char) CHAR_LE.get(raw, 2 * i));
        }
      }
      default -> throw new CodecException("codecs take F32, F16 or BF16 tensors, not " + dtype);
    }
    return out;
  }

  /** Narrows fp32 values to {@code dtype}'s little-endian bytes, rounding to nearest even. */
  static byte[] toBytes(DType dtype, float[] values) {
    byte[] out = new byte[values.length * dtype.byteSize()];
    for (int i = 0; i < values.length; i++) {
      switch (dtype) {
        case F32 -> {
          int b = Float.floatToRawIntBits(values[i]);
          out[4 * i] = (byte) b;
          out[4 * i + 1] = (byte) (b >>> 8);
          out[4 * i + 2] = (byte) (b >>> 16);
          out[4 * i + 3] = (byte) (b >>> 24);
        }
        case BF16 -> {
          int b = Float.floatToRawIntBits(values[i]);
          int h = (b + 0x7FFF + ((b >>> 16) & 1)) >>> 16;
          out[2 * i] = (byte) h;
          out[2 * i + 1] = (byte) (h >>> 8);
        }
        case F16 -> {
          short h = Float.floatToFloat16(values[i]);
          out[2 * i] = (byte) h;
          out[2 * i + 1] = (byte) (h >>> 8);
        }
        default -> throw new CodecException("codecs take F32, F16 or BF16 tensors, not " + dtype);
      }
    }
    return out;
  }

  static int bits16(byte[] raw, int i) {
    return (raw[2 * i] & 0xFF) | ((raw[2 * i + 1] & 0xFF) << 8);
  }

  static int bits32(byte[] raw, int i) {
    return (raw[4 * i] & 0xFF)
        | ((raw[4 * i + 1] & 0xFF) << 8)
        | ((raw[4 * i + 2] & 0xFF) << 16)
        | (raw[4 * i + 3] << 24);
  }
}
