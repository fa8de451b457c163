package network.subnet.node.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * quant/2's coding pass: quantises every value, sums its rounding error for the similarity, pushes its raw low bits
 * on the front of the raw stream and codes its symbol into rANS state {@code i % 4}, from the last value to the first
 * (rANS decodes in reverse). It runs a block at a time, in separate loops: quantising with the rounding errors has no
 * dependency between values, so the compiler vectorises that loop; the error sums run in eight independent lanes; the
 * symbol, raw bit count and raw bits of a small integer are one table load, folded into the serial bit packing; the
 * rANS states come last. One loop doing all of it per value spent most of its time on scalar floating point.
 */
final class QuantPass {

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Zigzagged integers below this have their symbol, raw bit count and raw bits in {@link #SMALL}. */
  static final int SMALL_LIMIT = 4096;

  /**
   * Per small zigzagged integer: {@code 2 * symbol << 16 | raw bit count << 11 | raw bits}, one load instead of a
   * leading-zero count and shifts by a variable count.
   */
  private static final int[] SMALL = new int[SMALL_LIMIT];

  static {
    for (int z = 0; z < SMALL_LIMIT; z++) {
      int nb = 28 - Integer.numberOfLeadingZeros(z | 15);
      SMALL[z] = 2 * QuantCodec.symbol(z) << 16 | nb << 11 | (z & ~(-1 << nb));
    }
  }

  /** Values per block: a multiple of four (so a block's lanes are the values' rANS states), small enough for L1. */
  static final int BLOCK = 2048;

  private final long[] enc;
  private final byte[] contexts;
  private final int[] z = new int[BLOCK];
  private final double[] err = new double[BLOCK];
  private final int[] keys = new int[BLOCK];
  private final int[] bits = new int[BLOCK];
  /** Eight lanes of {@code x * e}, then eight of {@code e * e}. */
  private final double[] sums = new double[16];

  private byte[] rs;
  private int rp;
  private byte[] raw;
  private int wp;
  private long acc;
  private int cnt;
  private long x0 = Rans.L;
  private long x1 = Rans.L;
  private long x2 = Rans.L;
  private long x3 = Rans.L;

  private QuantPass(long[] enc, byte[] contexts, int ransCapacity, int rawCapacity) {
    this.enc = enc;
    this.contexts = contexts;
    this.rs = new byte[ransCapacity];
    this.rp = rs.length;
    this.raw = new byte[rawCapacity];
    this.wp = raw.length;
  }

  /** The two streams of one coding pass (each from its start offset to the array's end) and its error sums. */
  record Coded(byte[] rans, int ransFrom, byte[] raw, int rawFrom, int pad, double xe, double ee) {

    /** b = a - e: a.b = aa - x.e and b.b = aa - 2 x.e + e.e. */
    double similarity(double aa) {
      return Similarity.fromSums(aa - xe, aa, Math.max(0, aa - 2 * xe + ee), ee).similarity();
    }
  }

  /**
   * Codes {@code v} at {@code step} with the encoder longs {@code enc} (keyed as {@link Rans.Tables#byFineContext}
   * lays them out); {@code contexts} holds each value's fine context, or is null when one table serves every value.
   * The bit rates size the output buffers, which grow if they are low.
   */
  static Coded code(
      float[] v, double step, float maxAbs, long[] enc, byte[] contexts, double symbolBits, double rawBits) {
    int n = v.length;
    int ransCapacity = (int) Math.min(2L * n + 64, (long) (n * symbolBits / 8 * 1.02) + 4 * BLOCK + 64);
    int rawCapacity = (int) Math.min(4L * n + 64, (long) (n * rawBits / 8 * 1.02) + 8 * BLOCK + 64);
    QuantPass p = new QuantPass(enc, contexts, ransCapacity, rawCapacity);
    double inv = 1.0 / step;
    // |q| <= rint(maxAbs / step), so z <= 2 |q|.
    boolean small = 2 * Math.rint(maxAbs * inv) < SMALL_LIMIT;
    // Blocks start at multiples of BLOCK, so the first one coded (the last in the tensor) may be short.
    for (int hi = n, lo = (n - 1) / BLOCK * BLOCK; hi > 0; hi = lo, lo -= BLOCK) {
      p.reserve();
      int len = hi - lo;
      p.quantise(v, lo, len, inv, step);
      addErrorSums(v, lo, p.err, len, p.sums);
      if (small) {
        p.packSmall(lo, len);
      } else {
        if (contexts == null) {
          p.symbols(len);
        } else {
          p.symbols(lo, len);
        }
        p.pack(len);
      }
      p.rans(len);
    }
    return p.finish();
  }

  /** Room for a block: at most 2 bytes of rANS and 4 of raw bits a value. */
  private void reserve() {
    if (rp < 2 * BLOCK + 32) {
      int used = rs.length - rp;
      rs = grow(rs, rp, 4 * BLOCK);
      rp = rs.length - used;
    }
    if (wp < 4 * BLOCK + 32) {
      int used = raw.length - wp;
      raw = grow(raw, wp, 8 * BLOCK);
      wp = raw.length - used;
    }
  }

  /** A larger array with {@code buf[from..]} moved to its end, for a stream written backwards. */
  private static byte[] grow(byte[] buf, int from, int extra) {
    int used = buf.length - from;
    byte[] bigger = new byte[Math.addExact(buf.length, Math.max(buf.length, extra))];
    System.arraycopy(buf, from, bigger, bigger.length - used, used);
    return bigger;
  }

  /** Each value's zigzagged integer and its rounding error against the value the decoder will rebuild. */
  private void quantise(float[] v, int lo, int len, double inv, double step) {
    int[] z = this.z;
    double[] err = this.err;
    for (int j = 0; j < len; j++) {
      double x = v[lo + j];
      // |x / step| stays below 2^29 (the encoder's smallest step), so the int conversion is exact.
      double r = Math.rint(x * inv);
      err[j] = x - (float) (r * step);
      int q = (int) r;
      z[j] = (q << 1) ^ (q >> 31);
    }
  }

  /**
   * Adds {@code x * e} and {@code e * e} for {@code x = v[lo + j]}, {@code e = err[j]}, j below {@code len}, to eight
   * lanes each of {@code sums} (16 entries: the lanes of {@code x * e}, then those of {@code e * e}): independent
   * chains keep the adds from waiting on each other. The order differs from {@link Similarity}'s; {@link
   * QuantCodec#SUM_ERROR_PER_VALUE} covers that.
   */
  static void addErrorSums(float[] v, int lo, double[] err, int len, double[] sums) {
    double[] s = sums;
    double xe0 = s[0];
    double xe1 = s[1];
    double xe2 = s[2];
    double xe3 = s[3];
    double xe4 = s[4];
    double xe5 = s[5];
    double xe6 = s[6];
    double xe7 = s[7];
    double ee0 = s[8];
    double ee1 = s[9];
    double ee2 = s[10];
    double ee3 = s[11];
    double ee4 = s[12];
    double ee5 = s[13];
    double ee6 = s[14];
    double ee7 = s[15];
    int j = 0;
    for (; j + 7 < len; j += 8) {
      int i = lo + j;
      double e0 = err[j];
      double e1 = err[j + 1];
      double e2 = err[j + 2];
      double e3 = err[j + 3];
      double e4 = err[j + 4];
      double e5 = err[j + 5];
      double e6 = err[j + 6];
      double e7 = err[j + 7];
      xe0 = Math.fma(v[i], e0, xe0);
      xe1 = Math.fma(v[i + 1], e1, xe1);
      xe2 = Math.fma(v[i + 2], e2, xe2);
      xe3 = Math.fma(v[i + 3], e3, xe3);
      xe4 = Math.fma(v[i + 4], e4, xe4);
      xe5 = Math.fma(v[i + 5], e5, xe5);
      xe6 = Math.fma(v[i + 6], e6, xe6);
      xe7 = Math.fma(v[i + 7], e7, xe7);
      ee0 = Math.fma(e0, e0, ee0);
      ee1 = Math.fma(e1, e1, ee1);
      ee2 = Math.fma(e2, e2, ee2);
      ee3 = Math.fma(e3, e3, ee3);
      ee4 = Math.fma(e4, e4, ee4);
      ee5 = Math.fma(e5, e5, ee5);
      ee6 = Math.fma(e6, e6, ee6);
      ee7 = Math.fma(e7, e7, ee7);
    }
    for (; j < len; j++) {
      double e = err[j];
      xe0 = Math.fma(v[lo + j], e, xe0);
      ee0 = Math.fma(e, e, ee0);
    }
    s[0] = xe0;
    s[1] = xe1;
    s[2] = xe2;
    s[3] = xe3;
    s[4] = xe4;
    s[5] = xe5;
    s[6] = xe6;
    s[7] = xe7;
    s[8] = ee0;
    s[9] = ee1;
    s[10] = ee2;
    s[11] = ee3;
    s[12] = ee4;
    s[13] = ee5;
    s[14] = ee6;
    s[15] = ee7;
  }

  /** The total of {@code x * e} and of {@code e * e} over the lanes of {@link #addErrorSums}. */
  static double[] totals(double[] sums) {
    double xe = 0;
    double ee = 0;
    for (int l = 0; l < 8; l++) {
      xe += sums[l];
      ee += sums[8 + l];
    }
    return new double[] {xe, ee};
  }

  /**
   * Each value's rANS key (symbol, one table) and raw bit count, its zigzagged integer replaced by its raw low bits.
   */
  private void symbols(int len) {
    int[] z = this.z;
    int[] keys = this.keys;
    int[] bits = this.bits;
    for (int j = 0; j < len; j++) {
      int zz = z[j];
      int nb = 28 - Integer.numberOfLeadingZeros(zz | 15);
      keys[j] = 2 * ((nb << 3) + (zz >>> nb));
      bits[j] = nb;
      z[j] = zz & ~(-1 << nb);
    }
  }

  /** As {@link #symbols(int)}, each key under the value's fine context. */
  private void symbols(int lo, int len) {
    int[] z = this.z;
    int[] keys = this.keys;
    int[] bits = this.bits;
    byte[] contexts = this.contexts;
    for (int j = 0; j < len; j++) {
      int zz = z[j];
      int nb = 28 - Integer.numberOfLeadingZeros(zz | 15);
      keys[j] = 2 * (contexts[lo + j] << 8 | (nb << 3) + (zz >>> nb));
      bits[j] = nb;
      z[j] = zz & ~(-1 << nb);
    }
  }

  /**
   * Pushes the block's raw bits, last value first, two values at a time (at most 52 bits, under fewer than 8
   * pending): each push goes below what is pending, as it comes earlier in the stream, which is least significant bit
   * first. The pending bits, moved to the top of a little-endian long, are stored ending at the write position; then
   * whole bytes advance. (Bits above the pending ones are stale; shifting by -cnt drops them.)
   */
  private void pack(int len) {
    int[] z = this.z;
    int[] bits = this.bits;
    byte[] raw = this.raw;
    long acc = this.acc;
    int cnt = this.cnt;
    int wp = this.wp;
    int j = len - 1;
    if ((len & 1) != 0) {
      acc = acc << bits[j] | z[j];
      cnt += bits[j];
      LONG_LE.set(raw, wp - 8, acc << -cnt);
      wp -= cnt >>> 3;
      cnt &= 7;
      j--;
    }
    for (; j > 0; j -= 2) {
      int na = bits[j];
      int nc = bits[j - 1];
      acc = acc << (na + nc) | (long) z[j] << nc | z[j - 1];
      cnt += na + nc;
      LONG_LE.set(raw, wp - 8, acc << -cnt);
      wp -= cnt >>> 3;
      cnt &= 7;
    }
    this.acc = acc;
    this.cnt = cnt;
    this.wp = wp;
  }

  /**
   * {@link #pack} for blocks whose integers are all below {@link #SMALL_LIMIT}, with each value's key, raw bit count
   * and raw bits from one table load.
   */
  private void packSmall(int lo, int len) {
    int[] z = this.z;
    int[] keys = this.keys;
    int[] small = SMALL;
    byte[] contexts = this.contexts;
    boolean flat = contexts == null;
    byte[] raw = this.raw;
    long acc = this.acc;
    int cnt = this.cnt;
    int wp = this.wp;
    int j = len - 1;
    if ((len & 1) != 0) {
      int t = small[z[j]];
      keys[j] = (flat ? 0 : contexts[lo + j] << 9) | t >>> 16;
      int nb = (t >>> 11) & 31;
      acc = acc << nb | (t & 0x7FF);
      cnt += nb;
      LONG_LE.set(raw, wp - 8, acc << -cnt);
      wp -= cnt >>> 3;
      cnt &= 7;
      j--;
    }
    for (; j > 0; j -= 2) {
      int ta = small[z[j]];
      int tc = small[z[j - 1]];
      keys[j] = (flat ? 0 : contexts[lo + j] << 9) | ta >>> 16;
      keys[j - 1] = (flat ? 0 : contexts[lo + j - 1] << 9) | tc >>> 16;
      int na = (ta >>> 11) & 31;
      int nc = (tc >>> 11) & 31;
      acc = acc << (na + nc) | (long) (ta & 0x7FF) << nc | (tc & 0x7FF);
      cnt += na + nc;
      LONG_LE.set(raw, wp - 8, acc << -cnt);
      wp -= cnt >>> 3;
      cnt &= 7;
    }
    this.acc = acc;
    this.cnt = cnt;
    this.wp = wp;
  }

  /**
   * Codes the block's keys, last first, value {@code i} into state {@code i % 4} (the block starts at a multiple of
   * four). Renormalisation is arithmetic on a mask (all ones when the state must emit a word): as a conditional it
   * compiles to a branch the predictor misses about half the time.
   */
  private void rans(int len) {
    int[] keys = this.keys;
    long[] enc = this.enc;
    byte[] rs = this.rs;
    int rp = this.rp;
    long x0 = this.x0;
    long x1 = this.x1;
    long x2 = this.x2;
    long x3 = this.x3;
    int j = len - 1;
    // The values past the last whole group of four (only in the first block coded) come first.
    for (; j >= 0 && (j & 3) != 3; j--) {
      int k = keys[j];
      long b = enc[k + 1];
      long x =
          switch (j & 3) {
            case 0 -> x0;
            case 1 -> x1;
            default -> x2;
          };
      long m = ((b >>> 32) - 1 - (x >>> 20)) >> 63;
      Rans.CHAR_LE.set(rs, rp - 2, (char) x);
      rp += (int) m << 1;
      x = Rans.Tables.put(x >>> (m & 16), enc[k], b);
      switch (j & 3) {
        case 0 -> x0 = x;
        case 1 -> x1 = x;
        default -> x2 = x;
      }
    }
    for (; j > 0; j -= 4) {
      int k = keys[j];
      long b = enc[k + 1];
      long m = ((b >>> 32) - 1 - (x3 >>> 20)) >> 63;
      Rans.CHAR_LE.set(rs, rp - 2, (char) x3);
      rp += (int) m << 1;
      x3 = Rans.Tables.put(x3 >>> (m & 16), enc[k], b);
      k = keys[j - 1];
      b = enc[k + 1];
      m = ((b >>> 32) - 1 - (x2 >>> 20)) >> 63;
      Rans.CHAR_LE.set(rs, rp - 2, (char) x2);
      rp += (int) m << 1;
      x2 = Rans.Tables.put(x2 >>> (m & 16), enc[k], b);
      k = keys[j - 2];
      b = enc[k + 1];
      m = ((b >>> 32) - 1 - (x1 >>> 20)) >> 63;
      Rans.CHAR_LE.set(rs, rp - 2, (char) x1);
      rp += (int) m << 1;
      x1 = Rans.Tables.put(x1 >>> (m & 16), enc[k], b);
      k = keys[j - 3];
      b = enc[k + 1];
      m = ((b >>> 32) - 1 - (x0 >>> 20)) >> 63;
      Rans.CHAR_LE.set(rs, rp - 2, (char) x0);
      rp += (int) m << 1;
      x0 = Rans.Tables.put(x0 >>> (m & 16), enc[k], b);
    }
    this.rp = rp;
    this.x0 = x0;
    this.x1 = x1;
    this.x2 = x2;
    this.x3 = x3;
  }

  /** Flushes the rANS states and the pending raw bits. */
  private Coded finish() {
    for (long s : new long[] {x3, x2, x1, x0}) {
      rp -= 2;
      Rans.CHAR_LE.set(rs, rp, (char) (s >>> 16));
      rp -= 2;
      Rans.CHAR_LE.set(rs, rp, (char) s);
    }
    // The first bits of the raw stream are the pending ones (fewer than 8), at the top of its first byte: the decoder
    // skips the pad below them.
    int pad = 0;
    if (cnt > 0) {
      raw[--wp] = (byte) (acc << (8 - cnt));
      pad = 8 - cnt;
    }
    double[] total = totals(sums);
    return new Coded(rs, rp, raw, wp, pad, total[0], total[1]);
  }
}
