package network.subnet.node.codec;

import com.github.luben.zstd.Zstd;
import network.subnet.node.tensor.DType;

/**
 * Lossless byte-plane split: each value becomes its exponent and its sign with the top mantissa bits, coded by one
 * multi-context rANS stream; the exponent's context is the exponent above it (same channel, previous row), the
 * mantissa byte's context is its own exponent (so exact zeros cost almost nothing). F16 also codes its low mantissa
 * byte; F32's low 16 mantissa bits, close to random in real fp32 and all zero in widened bf16, go to zstd when that
 * wins and raw otherwise.
 *
 * <p>Payload: u8 exponent base, u8 coarse-context count, {@value #FINE} u8 context map, rANS tables, rANS stream
 * section; for F32 also u8 low-plane mode (0 raw, 1 zstd) and the low-plane section.
 */
final class PlaneCodec extends ActivationCodec {

  private static final int GROUP = 16;
  private static final int EXP = 0;
  private static final int HI = GROUP;
  private static final int LO = 2 * GROUP;
  static final int FINE = 2 * GROUP + 1;
  private static final int ALPHABET = 256;

  @Override
  public String name() {
    return "plane";
  }

  @Override
  public int id() {
    return 2;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public boolean lossless() {
    return true;
  }

  /** Exponent field, sign-with-top-mantissa field and (F16 only) low mantissa byte of element {@code i}. */
  private static int exponent(DType dtype, int bits) {
    return switch (dtype) {
      case BF16 -> (bits >>> 7) & 0xFF;
      case F16 -> (bits >>> 10) & 0x1F;
      default -> (bits >>> 23) & 0xFF;
    };
  }

  private static int high(DType dtype, int bits) {
    return switch (dtype) {
      case BF16 -> ((bits >>> 8) & 0x80) | (bits & 0x7F);
      case F16 -> ((bits >>> 13) & 0x4) | ((bits >>> 8) & 0x3);
      default -> ((bits >>> 24) & 0x80) | ((bits >>> 16) & 0x7F);
    };
  }

  private static int assemble(DType dtype, int exp, int hi, int lo) {
    return switch (dtype) {
      case BF16 -> ((hi & 0x80) << 8) | (exp << 7) | (hi & 0x7F);
      case F16 -> ((hi & 0x4) << 13) | (exp << 10) | ((hi & 0x3) << 8) | lo;
      default -> ((hi & 0x80) << 24) | (exp << 23) | ((hi & 0x7F) << 16) | lo;
    };
  }

  private static int bitsOf(DType dtype, byte[] raw, int i) {
    return dtype == DType.F32 ? Activations.bits32(raw, i) : Activations.bits16(raw, i);
  }

  /** Context of an exponent: 0 for exact zeros and subnormals, then 15 octaves ending at the tensor's largest. */
  private static int expContext(int exp, int base) {
    return exp == 0 ? 0 : 1 + Math.max(0, Math.min(GROUP - 2, exp - base));
  }

  @Override
  Payload encode(Activations a, double floor) {
    DType dtype = a.dtype;
    int n = a.values.length;
    int cols = a.rowLength;
    byte[] raw = a.raw;
    int maxExp = 0;
    for (int i = 0; i < n; i++) {
      maxExp = Math.max(maxExp, exponent(dtype, bitsOf(dtype, raw, i)));
    }
    int base = Math.max(1, maxExp - (GROUP - 2));
    int perElement = dtype == DType.F16 ? 3 : 2;
    byte[] symbols = new byte[n * perElement];
    byte[] contexts = new byte[n * perElement];
    byte[] low = dtype == DType.F32 ? new byte[2 * n] : null;
    long[] counts = new long[FINE * ALPHABET];
    int[] above = new int[cols];
    for (int i = 0, k = 0; i < n; i++) {
      int bits = bitsOf(dtype, raw, i);
      int exp = exponent(dtype, bits);
      int c = i % cols;
      int ctx = EXP + expContext(above[c], base);
      above[c] = exp;
      symbols[k] = (byte) exp;
      contexts[k++] = (byte) ctx;
      counts[ctx * ALPHABET + exp]++;
      int hi = high(dtype, bits);
      ctx = HI + expContext(exp, base);
      symbols[k] = (byte) hi;
      contexts[k++] = (byte) ctx;
      counts[ctx * ALPHABET + hi]++;
      if (dtype == DType.F16) {
        symbols[k] = (byte) bits;
        contexts[k++] = (byte) LO;
        counts[LO * ALPHABET + (bits & 0xFF)]++;
      } else if (low != null) {
        low[2 * i] = (byte) bits;
        low[2 * i + 1] = (byte) (bits >>> 8);
      }
    }
    int[] map = new int[FINE];
    long[] coarseCounts = new long[FINE * ALPHABET];
    int coarse = 0;
    for (int[] group : new int[][] {{EXP, GROUP}, {HI, GROUP}, {LO, 1}}) {
      long[] sub = new long[group[1] * ALPHABET];
      System.arraycopy(counts, group[0] * ALPHABET, sub, 0, sub.length);
      ContextMerger.Merged m = ContextMerger.merge(sub, group[1], ALPHABET);
      for (int c = 0; c < group[1]; c++) {
        map[group[0] + c] = coarse + m.map()[c];
      }
      System.arraycopy(m.counts(), 0, coarseCounts, coarse * ALPHABET, m.contexts() * ALPHABET);
      coarse += m.contexts();
    }
    for (int k = 0; k < contexts.length; k++) {
      contexts[k] = (byte) map[contexts[k]];
    }
    long[] used = java.util.Arrays.copyOf(coarseCounts, coarse * ALPHABET);
    Rans.Tables tables = Rans.Tables.fromCounts(used, coarse, ALPHABET);
    byte[] stream = Rans.encode(symbols, contexts, symbols.length, tables);
    ByteWriter w = new ByteWriter(stream.length + (low == null ? 0 : low.length) + 4096);
    w.u8(base);
    ContextStream.write(w, coarse, map, tables, stream);
    if (low != null) {
      byte[] packed = Zstd.compress(low, ZstdCodec.LEVEL);
      boolean zstd = packed.length < low.length;
      w.u8(zstd ? 1 : 0);
      w.section(zstd ? packed : low);
    }
    return new Payload(w.toByteArray(), 1.0);
  }

  @Override
  float[] decode(BlobHeader header, ByteReader payload) {
    DType dtype = header.dtype();
    int n = (int) header.elementCount();
    int cols = header.rowLength();
    int base = payload.u8("exponent base");
    ContextStream.Read entropy = ContextStream.read(payload, FINE, ALPHABET);
    int[] map = entropy.map();
    Rans.Decoder rans = entropy.rans();
    byte[] low = null;
    if (dtype == DType.F32) {
      int mode = payload.u8("low-plane mode");
      ByteReader section = payload.section("low plane");
      if (mode == 1) {
        low = ZstdCodec.inflate(section, 2 * n);
      } else if (mode == 0 && section.remaining() == 2 * n) {
        low = new byte[2 * n];
        System.arraycopy(section.array(), section.position(), low, 0, 2 * n);
      } else {
        throw new CodecException("corrupt blob: low plane mode " + mode + " with " + section.remaining() + " bytes");
      }
    }
    payload.expectEnd("plane payload");
    float[] out = new float[n];
    int[] above = new int[cols];
    int expMask = dtype == DType.F16 ? 0x1F : 0xFF;
    for (int i = 0; i < n; i++) {
      int c = i % cols;
      int exp = rans.decode(map[EXP + expContext(above[c], base)]) & expMask;
      above[c] = exp;
      int hi = rans.decode(map[HI + expContext(exp, base)]);
      int lo = 0;
      if (dtype == DType.F16) {
        lo = rans.decode(map[LO]);
      } else if (low != null) {
        lo = (low[2 * i] & 0xFF) | ((low[2 * i + 1] & 0xFF) << 8);
      }
      int bits = assemble(dtype, exp, hi, lo);
      out[i] =
          switch (dtype) {
            case BF16 -> Float.intBitsToFloat(bits << 16);
            case F16 -> Float.float16ToFloat((short) bits);
            default -> Float.intBitsToFloat(bits);
          };
    }
    rans.finish();
    return out;
  }
}
