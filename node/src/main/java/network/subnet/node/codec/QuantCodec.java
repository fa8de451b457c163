package network.subnet.node.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Lossy at the floor: one global step {@code s}, each value sent as {@code q = rint(x / s)} and rebuilt as {@code
 * (float) (q * s)}. The step is chosen so the exact Apex similarity of the rebuilt tensor lands just above the floor
 * (a uniform step is what minimises squared error per bit at these rates, and the similarity is a function of that
 * error): small tensors are searched exactly; larger ones have the step predicted from a sample's rounding errors,
 * corrected once on a larger sample, and checked by the coding pass itself, which sums the exact similarity in
 * {@link Similarity}'s order while it quantises: the whole tensor is normally quantised once. The integers are
 * zigzagged and split into a byte symbol (exact below 16, then 8 sub-buckets per octave) plus raw low bits; symbols go
 * through multi-context rANS whose context is the running size of the same channel in earlier rows (rows are tokens,
 * the last dimension is channels), which is where outlier channels and ReLU zeros show.
 *
 * <p>Payload: f64 step, u8 coarse-context count, {@value #FINE_CONTEXTS} u8 fine-to-coarse map, rANS tables, rANS
 * stream section, raw-bits section.
 */
final class QuantCodec extends ActivationCodec {

  static final int FINE_CONTEXTS = 16;
  static final int ALPHABET = 232;
  /** Keeps {@code |q| < 2^29}, so zigzagged integers and their sums stay within an int. */
  static final double MAX_Q = 1 << 29;

  // Sized for every byte symbol, so a symbol read from a table needs no bounds check; past the alphabet they are 0.
  static final int[] BASE = new int[256];
  static final int[] EXTRA_BITS = new int[256];
  /** The low-bit mask of each symbol's raw bits. */
  static final int[] MASK = new int[256];

  static {
    for (int s = 0; s < ALPHABET; s++) {
      EXTRA_BITS[s] = Math.max(0, (s >>> 3) - 1);
      BASE[s] = s < 16 ? s : (8 | (s & 7)) << EXTRA_BITS[s];
      MASK[s] = (1 << EXTRA_BITS[s]) - 1;
    }
  }

  /** The E8 codec's search sample. */
  static final int SAMPLE = 1 << 18;
  /** Aim the E8 sample's error a little inside the allowance, so sampling noise rarely costs a second pass. */
  static final double SAMPLE_MARGIN = 0.996;
  /** A first pass whose error is below this fraction of the allowance earns a second, coarser one. */
  static final double REFINE_BELOW = 0.985;

  /** Values in the sample the step is predicted from, for tensors larger than it. */
  static final int PREDICT_SAMPLE = 1 << 16;
  /** Values in the sample that corrects the prediction once: its noise sets how close to the floor a blob lands. */
  static final int CORRECT_SAMPLE = 1 << 19;
  /**
   * Aim the prediction this far inside the allowance: the sample's estimate of the error is good to about 0.2%, and
   * 0.6% of step costs under 0.01 bit a value.
   */
  static final double PREDICT_MARGIN = 0.994;

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Values the decoder reads between two bounds checks of its streams. */
  private static final int CHUNK = 4096;

  private static final int MAX_SEARCH_STEPS = 16;
  /** Stop searching once the error is within this fraction of the floor's allowance. */
  private static final double CLOSE_ENOUGH = 0.997;

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
   * The prediction corrected by one measurement of the error at it on a larger sample (the whole tensor up to 2^19
   * values). Over a change this small the error is nearly proportional to the step; what is left is sampling noise
   * (about {@code 0.45 / sqrt(m)}) and the different rounding of a different step, measured at up to 0.2% on the
   * generated families (rarely 1% with outlier channels at 0.999). The correction aims that far inside the allowance:
   * a miss costs a second coding pass, 0.1% of allowance costs under 0.002 bit a value.
   */
  static double correctStep(float[] v, int cols, double aa, double step, double allowance, double minStep) {
    float[] sample = strided(v, cols, CORRECT_SAMPLE);
    double error = 1 - estimatedSimilarity(sample, (double) v.length / sample.length, aa, step);
    if (!(error > 0)) {
      return step;
    }
    double margin = 1 - 2.5 * 0.45 / Math.sqrt(sample.length) - 0.0017;
    double scale = Math.max(0.5, Math.min(2, allowance / error * margin));
    return Math.max(minStep, step * scale);
  }

  /** Every k-th value, k coprime to the row length so every channel is seen, for about {@code size} values. */
  static float[] strided(float[] v, int cols, int size) {
    int n = v.length;
    int stride = Math.max(1, n / size);
    while (stride > 1 && gcd(stride, cols) != 1) {
      stride++;
    }
    if (stride == 1) {
      return v;
    }
    float[] sample = new float[n / stride];
    for (int i = 0, j = 0; j < sample.length; i += stride, j++) {
      sample[j] = v[i];
    }
    return sample;
  }

  /** A predicted step, and whether it came from a sample (else it is exact for the whole tensor). */
  record Prediction(double step, boolean sampled) {}

  /**
   * The step to code with. Small tensors are searched exactly. Larger ones are searched on a strided sample whose
   * rounding errors stand for the whole tensor's: the sums of {@code e^2} and {@code x e} (e the rounding error) are
   * scaled up and combined with the exact squared norm, aiming a little inside the allowance for the sample's noise.
   * One uniform error per element is bounded by {@code step^2 / 4} whatever the data's tails, so the estimate stays
   * good on heavy-tailed and outlier-channel tensors, where a sample's own norm would not.
   */
  static Prediction predictStep(float[] v, int cols, double aa, double floor, double minStep) {
    float[] sample = strided(v, cols, PREDICT_SAMPLE);
    if (sample == v) {
      double[] found = searchStep(v, aa, floor, minStep);
      return found == null ? null : new Prediction(found[0], false);
    }
    double scale = (double) v.length / sample.length;
    double target = 1 - (1 - floor) * PREDICT_MARGIN;
    double[] found = searchStep(v.length, aa, target, minStep, step -> estimatedSimilarity(sample, scale, aa, step));
    return found == null ? null : new Prediction(found[0], true);
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** The whole tensor's similarity at {@code step}, from a sample's rounding errors scaled by {@code scale}. */
  static double estimatedSimilarity(float[] sample, double scale, double aa, double step) {
    double inv = 1.0 / step;
    double ee0 = 0;
    double xe0 = 0;
    double ee1 = 0;
    double xe1 = 0;
    int m = sample.length;
    int i = 0;
    for (; i + 1 < m; i += 2) {
      double x0 = sample[i];
      double e0 = x0 - (float) (Math.rint(x0 * inv) * step);
      double x1 = sample[i + 1];
      double e1 = x1 - (float) (Math.rint(x1 * inv) * step);
      ee0 += e0 * e0;
      xe0 += x0 * e0;
      ee1 += e1 * e1;
      xe1 += x1 * e1;
    }
    if (i < m) {
      double x0 = sample[i];
      double e0 = x0 - (float) (Math.rint(x0 * inv) * step);
      ee0 += e0 * e0;
      xe0 += x0 * e0;
    }
    double dd = (ee0 + ee1) * scale;
    double xe = (xe0 + xe1) * scale;
    // b = a - e: a.b = aa - x.e and b.b = aa - 2 x.e + e.e.
    return Similarity.fromSums(aa - xe, aa, Math.max(0, aa - 2 * xe + dd), dd).similarity();
  }

  /** The largest step found whose similarity meets the floor, with that similarity; null if none does. */
  static double[] searchStep(float[] v, double aa, double floor, double minStep) {
    return searchStep(v.length, aa, floor, minStep, step -> similarity(v, aa, step));
  }

  /** The search itself, over any quantiser's exact similarity as a function of its step. */
  static double[] searchStep(
      int n, double aa, double floor, double minStep, java.util.function.DoubleUnaryOperator similarityAt) {
    double allowance = 1 - floor;
    double rms = Math.sqrt(aa / n);
    // Uniform rounding error is s^2 / 12 per element and 1 - similarity is close to ||a-b|| / ||a|| at these rates.
    double step = Math.max(minStep, rms * Math.sqrt(12) * Math.min(allowance, 1));
    double passStep = -1;
    double passSim = 0;
    double failStep = Double.POSITIVE_INFINITY;
    for (int i = 0; i < MAX_SEARCH_STEPS; i++) {
      double sim = similarityAt.applyAsDouble(step);
      double error = 1 - sim;
      if (sim >= floor) {
        if (step > passStep) {
          passStep = step;
          passSim = sim;
        }
        if (error >= CLOSE_ENOUGH * allowance || step <= minStep && error <= 0) {
          break;
        }
      } else {
        failStep = Math.min(failStep, step);
      }
      double ratio = error > 0 ? allowance / error : 8;
      double next = step * Math.max(0.125, Math.min(8, ratio * (1 - (1 - CLOSE_ENOUGH) / 2)));
      if (next <= passStep || next >= failStep) {
        if (failStep == Double.POSITIVE_INFINITY) {
          next = passStep * 2;
        } else {
          next = passStep < 0 ? failStep / 2 : Math.sqrt(passStep * failStep);
        }
      }
      next = Math.max(next, minStep);
      if (next == step || passStep > 0 && failStep / passStep < 1 + 1e-4) {
        break;
      }
      step = next;
    }
    return passStep > 0 ? new double[] {passStep, passSim} : null;
  }

  /** Exact Apex similarity of the tensor rebuilt with {@code step}, as the decoder will rebuild it. */
  static double similarity(float[] v, double aa, double step) {
    double inv = 1.0 / step;
    double dot0 = 0;
    double bb0 = 0;
    double dd0 = 0;
    double dot1 = 0;
    double bb1 = 0;
    double dd1 = 0;
    int n = v.length;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      double x0 = v[i];
      double y0 = (float) (Math.rint(x0 * inv) * step);
      double x1 = v[i + 1];
      double y1 = (float) (Math.rint(x1 * inv) * step);
      dot0 += x0 * y0;
      bb0 += y0 * y0;
      dd0 += (x0 - y0) * (x0 - y0);
      dot1 += x1 * y1;
      bb1 += y1 * y1;
      dd1 += (x1 - y1) * (x1 - y1);
    }
    if (i < n) {
      double x0 = v[i];
      double y0 = (float) (Math.rint(x0 * inv) * step);
      dot0 += x0 * y0;
      bb0 += y0 * y0;
      dd0 += (x0 - y0) * (x0 - y0);
    }
    return Similarity.fromSums(dot0 + dot1, aa, bb0 + bb1, dd0 + dd1).similarity();
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

  /**
   * Each channel's level is a running mean of its zigzagged integers (x16, weight 1/4 on the newest row); only earlier
   * rows feed it, so decoding a row has no serial dependency through the context.
   */
  static int nextLevel(int level, int z) {
    return level + (((Math.min(z, 1 << 20)) << 4) - level >> 2);
  }

  /**
   * {@link #context} shifted into a key, indexed by the leading zeros of {@code level >>> 4}: one lookup in the hot
   * loops instead of a subtraction and a clamp.
   */
  private static final int[] CONTEXT_KEY = new int[33];

  static {
    for (int k = 0; k <= 32; k++) {
      CONTEXT_KEY[k] = Math.min(FINE_CONTEXTS - 1, 32 - k) << 8;
    }
  }

  /** Fine context: the octave of the channel's level. */
  static int context(int level) {
    return Math.min(FINE_CONTEXTS - 1, 32 - Integer.numberOfLeadingZeros(level >>> 4));
  }

  @Override
  float[] decode(BlobHeader header, ByteReader payload) {
    int n = (int) header.elementCount();
    int cols = header.rowLength();
    double step = ContextStream.readStep(payload, "quantisation");
    // A run of CHUNK values reads at most one rANS word each: the stream's copy is padded for a whole run.
    ContextStream.Read entropy = ContextStream.read(payload, FINE_CONTEXTS, ALPHABET, 2 * CHUNK + 4);
    // The coarse context's table offset, indexed as CONTEXT_KEY is.
    int[] ctxBase = new int[33];
    boolean oneTable = true;
    for (int k = 0; k <= 32; k++) {
      ctxBase[k] = entropy.map()[CONTEXT_KEY[k] >>> 8] << Rans.SCALE_BITS;
      oneTable &= ctxBase[k] == 0;
    }
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
