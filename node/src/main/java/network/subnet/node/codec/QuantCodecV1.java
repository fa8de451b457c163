package network.subnet.node.codec;

import static network.subnet.node.codec.QuantCodec.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The first version of {@link QuantCodec}'s format, still decoded (and still encodable by name) so blobs made before
 * {@code quant/2} stay readable: raw low bits written forward in their own pass after the symbols were counted, tables
 * from the full counts, and the rANS pass over a stored array of keys. {@code quant/2} codes in one reverse pass.
 */
final class QuantCodecV1 extends ActivationCodec {

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Values the decoder reads between two bounds checks of its streams. */
  private static final int CHUNK = 4096;

  @Override
  public String name() {
    return "quant";
  }

  @Override
  public int id() {
    return 3;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public boolean lossless() {
    return false;
  }

  @Override
  Payload encode(Activations a, double floor) {
    if (!(floor < 1)) {
      return null;
    }
    float[] v = a.values;
    double minStep = a.maxAbs / MAX_Q;
    double allowance = 1 - floor;
    Prediction predicted = predictStep(v, a.rowLength, a.sumSquares, floor, minStep);
    if (predicted == null) {
      return null;
    }
    double step = predicted.step();
    if (predicted.sampled()) {
      step = correctStep(v, a.rowLength, a.sumSquares, step, allowance, minStep);
    }
    // The pass that codes also measures the exact similarity; a miss (rare) costs one more pass at a step scaled by
    // the exact error.
    boolean flat = oneTableLikely(v, a.rowLength, step);
    for (int attempt = 0; attempt < 8; attempt++) {
      Pass pass = quantise(v, a.rowLength, step, flat);
      double sim = Similarity.fromSums(pass.dot, a.sumSquares, pass.bb, pass.dd).similarity();
      if (sim >= floor) {
        return new Payload(pass.finish(step), sim);
      }
      if (step <= minStep) {
        return null;
      }
      double error = 1 - sim;
      step = Math.max(minStep, step * Math.max(0.5, Math.min(0.999, allowance / error * PREDICT_MARGIN)));
    }
    return null;
  }

  /**
   * Whether the channel contexts would all merge into one table, judged on about 2^16 values of evenly spaced whole
   * rows: dense tensors usually do, and then the coding pass can skip the channel levels, as the decoder does for a
   * one-table blob. Levels that have not settled would lean the answer towards keeping contexts, so the first rows
   * are run twice.
   */
  static boolean oneTableLikely(float[] v, int cols, double step) {
    int rows = v.length / cols;
    int take = Math.max(1, Math.min(rows, (PREDICT_SAMPLE + cols - 1) / cols));
    int rowStride = rows / take;
    long[] counts = new long[FINE_CONTEXTS * ALPHABET];
    int[] level = new int[cols];
    double inv = 1.0 / step;
    // The first few sampled rows are run twice, the first time only to settle the levels.
    int warm = Math.min(take, 8);
    for (int t = -warm; t < take; t++) {
      int start = (t < 0 ? t + warm : t) * rowStride * cols;
      for (int c = 0; c < cols; c++) {
        int q = (int) Math.rint(v[start + c] * inv);
        int z = (q << 1) ^ (q >> 31);
        int n = 28 - Integer.numberOfLeadingZeros(z | 15);
        if (t >= 0) {
          counts[context(level[c]) * ALPHABET + (n << 3) + (z >>> n)]++;
        }
        level[c] = nextLevel(level[c], z);
      }
    }
    // The sample's own counts, not scaled up: scaled, its noise alone looks like context worth a table. Unscaled, a
    // context whose gain on 2^16 values is below a table's cost (about 100 bytes) is given up: on a tensor k times
    // larger at most k tables' worth, about 0.2% at 4 MiB; on the generated families the choice matches the merge.
    return ContextMerger.merge(counts, FINE_CONTEXTS, ALPHABET).contexts() == 1;
  }

  /** Keys (fine context and symbol), raw bits and symbol counts of one quantisation, with its similarity sums. */
  private static final class Pass {
    final short[] keys;
    final int n;
    /** Two histograms, for even and odd elements, so that runs of one symbol do not wait on each other's counts. */
    final int[] counts = new int[2 * FINE_CONTEXTS * 256];
    byte[] raw;
    double dot;
    double bb;
    double dd;

    Pass(int n) {
      this.n = n;
      this.keys = new short[n];
    }

    byte[] finish(double step) {
      long[] fine = new long[FINE_CONTEXTS * ALPHABET];
      for (int c = 0; c < FINE_CONTEXTS; c++) {
        for (int s = 0; s < ALPHABET; s++) {
          int k = c << 8 | s;
          fine[c * ALPHABET + s] = counts[k] + counts[FINE_CONTEXTS * 256 + k];
        }
      }
      ContextMerger.Merged merged = ContextMerger.merge(fine, FINE_CONTEXTS, ALPHABET);
      int[] map = merged.map();
      Rans.Tables tables = Rans.Tables.fromCounts(merged.counts(), merged.contexts(), ALPHABET);
      byte[] stream = Rans.encode(keys, n, tables.byFineContext(map));
      ByteWriter w = new ByteWriter(stream.length + raw.length + 4096);
      w.f64(step);
      ContextStream.write(w, merged.contexts(), map, tables, stream);
      w.section(raw);
      return w.toByteArray();
    }
  }

  /**
   * One pass that quantises, sums for the exact similarity (in {@link Similarity#parts}'s order: even and odd lanes),
   * and codes: fine context and symbol into {@code keys}, their counts, and the symbols' low bits into the raw stream.
   */
  private static Pass quantise(float[] v, int cols, double step, boolean flat) {
    int n = v.length;
    double inv = 1.0 / step;
    Pass p = new Pass(n);
    short[] keys = p.keys;
    int[] counts = p.counts;
    int odd = FINE_CONTEXTS * 256;
    int[] level = new int[cols];
    // The raw bit writer, kept in locals: an 8-byte store every element, advanced by whole bytes as they fill.
    byte[] raw = new byte[n / 2 + 64];
    int size = 0;
    long acc = 0;
    int bits = 0;
    double dot0 = 0;
    double bb0 = 0;
    double dd0 = 0;
    double dot1 = 0;
    double bb1 = 0;
    double dd1 = 0;
    int c = 0;
    int i = 0;
    if ((cols & 1) == 0) {
      // Even rows: a pair never straddles two rows, so the columns run without wrapping. Flat: every value in fine
      // context 0, no channel levels.
      int rows = n / cols;
      for (int r = 0; r < rows; r++) {
        if (size + 8 * cols + 16 > raw.length) {
          raw = Arrays.copyOf(raw, Math.max(raw.length * 2, size + 8 * cols + 16));
        }
        if (flat) {
          for (c = 0; c < cols; c += 2, i += 2) {
            double x0 = v[i];
            int q0 = (int) Math.rint(x0 * inv);
            double y0 = (float) (q0 * step);
            double e0 = x0 - y0;
            dot0 += x0 * y0;
            bb0 += y0 * y0;
            dd0 += e0 * e0;
            int z0 = (q0 << 1) ^ (q0 >> 31);
            int n0 = 28 - Integer.numberOfLeadingZeros(z0 | 15);
            int k0 = (n0 << 3) + (z0 >>> n0);
            keys[i] = (short) k0;
            counts[k0]++;
            acc |= (long) (z0 & ~(-1 << n0)) << bits;
            bits += n0;

            double x1 = v[i + 1];
            int q1 = (int) Math.rint(x1 * inv);
            double y1 = (float) (q1 * step);
            double e1 = x1 - y1;
            dot1 += x1 * y1;
            bb1 += y1 * y1;
            dd1 += e1 * e1;
            int z1 = (q1 << 1) ^ (q1 >> 31);
            int n1 = 28 - Integer.numberOfLeadingZeros(z1 | 15);
            int k1 = (n1 << 3) + (z1 >>> n1);
            keys[i + 1] = (short) k1;
            counts[odd + k1]++;
            acc |= (long) (z1 & ~(-1 << n1)) << bits;
            bits += n1;
            LONG_LE.set(raw, size, acc);
            int whole = bits >>> 3;
            size += whole;
            acc >>>= whole << 3;
            bits &= 7;
          }
        } else {
          for (c = 0; c < cols; c += 2, i += 2) {
            double x0 = v[i];
            int q0 = (int) Math.rint(x0 * inv);
            double y0 = (float) (q0 * step);
            double e0 = x0 - y0;
            dot0 += x0 * y0;
            bb0 += y0 * y0;
            dd0 += e0 * e0;
            int z0 = (q0 << 1) ^ (q0 >> 31);
            int l0 = level[c];
            int n0 = 28 - Integer.numberOfLeadingZeros(z0 | 15);
            int k0 = CONTEXT_KEY[Integer.numberOfLeadingZeros(l0 >>> 4)] | (n0 << 3) + (z0 >>> n0);
            keys[i] = (short) k0;
            counts[k0]++;
            level[c] = nextLevel(l0, z0);
            acc |= (long) (z0 & ~(-1 << n0)) << bits;
            bits += n0;

            double x1 = v[i + 1];
            int q1 = (int) Math.rint(x1 * inv);
            double y1 = (float) (q1 * step);
            double e1 = x1 - y1;
            dot1 += x1 * y1;
            bb1 += y1 * y1;
            dd1 += e1 * e1;
            int z1 = (q1 << 1) ^ (q1 >> 31);
            int l1 = level[c + 1];
            int n1 = 28 - Integer.numberOfLeadingZeros(z1 | 15);
            int k1 = CONTEXT_KEY[Integer.numberOfLeadingZeros(l1 >>> 4)] | (n1 << 3) + (z1 >>> n1);
            keys[i + 1] = (short) k1;
            counts[odd + k1]++;
            level[c + 1] = nextLevel(l1, z1);
            acc |= (long) (z1 & ~(-1 << n1)) << bits;
            bits += n1;
            LONG_LE.set(raw, size, acc);
            int whole = bits >>> 3;
            size += whole;
            acc >>>= whole << 3;
            bits &= 7;
          }
        }
      }
      c = 0;
    }
    // Odd rows: pairs of flat indices, the column wrapping inside a pair.
    for (; i + 1 < n; i += 2) {
      if (size + 16 > raw.length) {
        raw = Arrays.copyOf(raw, raw.length * 2);
      }
      double x0 = v[i];
      int q0 = (int) Math.rint(x0 * inv);
      double y0 = (float) (q0 * step);
      double e0 = x0 - y0;
      dot0 += x0 * y0;
      bb0 += y0 * y0;
      dd0 += e0 * e0;
      int z0 = (q0 << 1) ^ (q0 >> 31);
      int l0 = level[c];
      int n0 = Math.max(0, 28 - Integer.numberOfLeadingZeros(z0));
      int k0 = CONTEXT_KEY[Integer.numberOfLeadingZeros(l0 >>> 4)] | (n0 << 3) + (z0 >>> n0);
      keys[i] = (short) k0;
      counts[k0]++;
      level[c] = nextLevel(l0, z0);
      acc |= (z0 & ((1L << n0) - 1)) << bits;
      bits += n0;
      c = c + 1 == cols ? 0 : c + 1;

      double x1 = v[i + 1];
      int q1 = (int) Math.rint(x1 * inv);
      double y1 = (float) (q1 * step);
      double e1 = x1 - y1;
      dot1 += x1 * y1;
      bb1 += y1 * y1;
      dd1 += e1 * e1;
      int z1 = (q1 << 1) ^ (q1 >> 31);
      int l1 = level[c];
      int n1 = Math.max(0, 28 - Integer.numberOfLeadingZeros(z1));
      int k1 = CONTEXT_KEY[Integer.numberOfLeadingZeros(l1 >>> 4)] | (n1 << 3) + (z1 >>> n1);
      keys[i + 1] = (short) k1;
      counts[odd + k1]++;
      level[c] = nextLevel(l1, z1);
      // Up to 7 + 2 * 26 bits are pending here, still within the accumulator.
      acc |= (z1 & ((1L << n1) - 1)) << bits;
      bits += n1;
      LONG_LE.set(raw, size, acc);
      int whole = bits >>> 3;
      size += whole;
      acc >>>= whole << 3;
      bits &= 7;
      c = c + 1 == cols ? 0 : c + 1;
    }
    if (i < n) {
      double x0 = v[i];
      int q0 = (int) Math.rint(x0 * inv);
      double y0 = (float) (q0 * step);
      double e0 = x0 - y0;
      dot0 += x0 * y0;
      bb0 += y0 * y0;
      dd0 += e0 * e0;
      int z0 = (q0 << 1) ^ (q0 >> 31);
      int n0 = Math.max(0, 28 - Integer.numberOfLeadingZeros(z0));
      int k0 = context(level[c]) << 8 | (n0 << 3) + (z0 >>> n0);
      keys[i] = (short) k0;
      counts[k0]++;
      acc |= (z0 & ((1L << n0) - 1)) << bits;
      bits += n0;
    }
    if (size + 16 > raw.length) {
      raw = Arrays.copyOf(raw, raw.length + 16);
    }
    LONG_LE.set(raw, size, acc);
    size += (bits + 7) >>> 3;
    p.raw = Arrays.copyOf(raw, size);
    p.dot = dot0 + dot1;
    p.bb = bb0 + bb1;
    p.dd = dd0 + dd1;
    return p;
  }

  @Override
  float[] decode(BlobHeader header, ByteReader payload) {
    int n = (int) header.elementCount();
    int cols = header.rowLength();
    double step = ContextStream.readStep(payload, "quantisation");
    // A run of CHUNK values reads at most one rANS word each: the stream's copy is padded for a whole run.
    ContextStream.Read entropy = ContextStream.read(payload, FINE_CONTEXTS, ALPHABET, 2 * CHUNK + 4);
    int[] ctxBase = contextBases(entropy.map());
    boolean oneTable = oneTable(ctxBase);
    // Dense tensors usually merge every context into one table: then the channel levels choose nothing, and the
    // loop that skips them is a third faster.
    Rans.Decoder rans = entropy.rans();
    if (n % cols != 0) {
      throw new CodecException("corrupt blob: " + n + " values do not fill rows of " + cols);
    }
    ByteReader rawSection = payload.section("raw bits");
    payload.expectEnd("quant payload");
    int rawLen = rawSection.remaining();
    // A run of CHUNK values reads at most 27 raw bits and one rANS word each: with that much padding after each
    // stream, reads need checking once a run rather than once a value, and a forged stream is caught at the next
    // run's check or at the end.
    byte[] raw = new byte[Math.addExact(rawLen, 27 * CHUNK / 8 + 16)];
    System.arraycopy(rawSection.array(), rawSection.position(), raw, 0, rawLen);
    int end = rans.end;
    byte[] buf = rans.buf;
    float[] out = new float[n];
    int rows = n / cols;
    int[] level = new int[cols];
    int[] dec = rans.dec;
    int[] mask = MASK;
    int[] base = BASE;
    // The rANS step is written out here with its state in locals: going through the decoder's fields costs a
    // store and a reload on every symbol's critical path.
    long x0 = rans.x0;
    long x1 = rans.x1;
    long x2 = rans.x2;
    long x3 = rans.x3;
    int pos = rans.pos;
    long bitPos = 0;
    for (int r = 0, i = 0; r < rows; r++) {
      for (int from = 0; from < cols; from += CHUNK) {
        if (pos > end || bitPos > 8L * rawLen) {
          throw new CodecException("corrupt blob: quant streams end before value " + i);
        }
        int bytePos = (int) (bitPos >>> 3);
        int bit = (int) bitPos & 7;
        int to = Math.min(cols, from + CHUNK);
        if (oneTable) {
          for (int c = from; c < to; c++, i++) {
            int e = dec[(int) x0 & (Rans.M - 1)];
            long x = (((e >>> 12) & (Rans.M - 1)) + 1) * (x0 >>> Rans.SCALE_BITS) + (e & (Rans.M - 1));
            long refill = (x - Rans.L) >> 63;
            long w = (char) Rans.CHAR_LE.get(buf, pos);
            x = (x << (refill & 16)) | (w & refill);
            pos += (int) refill & 2;
            x0 = x1;
            x1 = x2;
            x2 = x3;
            x3 = x;
            int s = e >>> 24;
            int m = mask[s];
            long word = (long) LONG_LE.get(raw, bytePos) >>> bit;
            bit += Integer.bitCount(m);
            bytePos += bit >>> 3;
            bit &= 7;
            int z = base[s] | ((int) word & m);
            int q = (z >>> 1) ^ -(z & 1);
            out[i] = (float) (q * step);
          }
        } else {
          for (int c = from; c < to; c++, i++) {
            int l = level[c];
            int e = dec[ctxBase[Integer.numberOfLeadingZeros(l >>> 4)] | ((int) x0 & (Rans.M - 1))];
            long x = (((e >>> 12) & (Rans.M - 1)) + 1) * (x0 >>> Rans.SCALE_BITS) + (e & (Rans.M - 1));
            // Renormalisation in arithmetic, not a branch the predictor would miss half the time: all ones if x < L.
            long refill = (x - Rans.L) >> 63;
            long w = (char) Rans.CHAR_LE.get(buf, pos);
            x = (x << (refill & 16)) | (w & refill);
            pos += (int) refill & 2;
            x0 = x1;
            x1 = x2;
            x2 = x3;
            x3 = x;
            int s = e >>> 24;
            int m = mask[s];
            long word = (long) LONG_LE.get(raw, bytePos) >>> bit;
            bit += Integer.bitCount(m);
            bytePos += bit >>> 3;
            bit &= 7;
            int z = base[s] | ((int) word & m);
            level[c] = nextLevel(l, z);
            int q = (z >>> 1) ^ -(z & 1);
            out[i] = (float) (q * step);
          }
        }
        bitPos = 8L * bytePos + bit;
      }
    }
    rans.x0 = x0;
    rans.x1 = x1;
    rans.x2 = x2;
    rans.x3 = x3;
    rans.pos = pos;
    rans.finish();
    if (bitPos > 8L * rawLen || 8L * rawLen - bitPos >= 8) {
      throw new CodecException("corrupt blob: raw bit stream does not end where its data does");
    }
    return out;
  }
}
