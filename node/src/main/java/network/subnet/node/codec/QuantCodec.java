package network.subnet.node.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Lossy at the floor: one global step {@code s}, each value sent as {@code q = rint(x / s)} and rebuilt as {@code
 * (float) (q * s)}. The step is chosen so the exact Apex similarity of the rebuilt tensor lands just above the floor
 * (a uniform step is what minimises squared error per bit at these rates, and the similarity is a function of that
 * error): tiny tensors are searched exactly; the rest have the step predicted from a sample's rounding errors,
 * corrected once on a larger sample, and checked by the coding pass itself. The integers are zigzagged and split into a
 * byte symbol (exact below 16, then 8 sub-buckets per octave) plus raw low bits; symbols go through multi-context rANS
 * whose context is the running size of the same channel in earlier rows (rows are tokens, the last dimension is
 * channels), which is where outlier channels and ReLU zeros show.
 *
 * <p>Version 2 codes in one pass, backwards: the frequency tables and the choice of contexts come from a sample
 * quantised at the final step (every symbol the largest value could need keeps a frequency), so quantising, summing
 * the similarity, writing the raw bits and rANS coding happen in one pass ({@link QuantPass}) from the last value to
 * the first, as rANS needs. The raw bits are written from the back too, so the decoder reads both streams forwards.
 * Tensors that keep channel contexts first run one forward pass for them, since a channel's level depends on earlier
 * rows.
 *
 * <p>Payload: f64 step, u8 coarse-context count, {@value #FINE_CONTEXTS} u8 fine-to-coarse map, rANS tables, rANS
 * stream section, u8 count of padding bits before the raw bits, raw-bits section (least significant bit first).
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
    return 2;
  }

  @Override
  public boolean lossless() {
    return false;
  }

  /** Tensors up to this many values have their step searched exactly, pass by pass: a sample would be most of them. */
  static final int EXACT_BELOW = 1 << 14;
  /** Values in the sample the frequency tables and contexts come from. */
  static final int MODEL_SAMPLE = 1 << 16;
  /** Rows counted per block of the model's sample, and the rows run before each to settle the channel levels. */
  private static final int BLOCK_ROWS = 4;

  private static final int WARM_ROWS = 4;

  /**
   * Bound on the similarity's rounding difference per element: the coding pass sums in its own order (eight lanes of
   * fused multiply-adds, dot product and norms from the error sums), the validator in {@link Similarity}'s. Every sum
   * is of terms of one sign or small against the norm, so each differs by at most about {@code n} ulps relative; the
   * blob must clear the floor by this much times {@code n}, a few parts in 10^9 at 2^21 values.
   */
  static final double SUM_ERROR_PER_VALUE = 2e-15;

  @Override
  Payload encode(Activations a, double floor) {
    if (!(floor < 1)) {
      return null;
    }
    float[] v = a.values;
    int cols = a.rowLength;
    double aa = a.sumSquares;
    double minStep = a.maxAbs / MAX_Q;
    double allowance = 1 - floor;
    double step;
    if (v.length <= EXACT_BELOW) {
      double[] found = searchStep(v, aa, floor, minStep);
      if (found == null) {
        return null;
      }
      step = found[0];
    } else {
      float[] sample = strided(v, cols, Math.min(PREDICT_SAMPLE, v.length / 4));
      double scale = (double) v.length / sample.length;
      double target = 1 - allowance * PREDICT_MARGIN;
      double[] found = searchStep(v.length, aa, target, minStep, s -> estimatedSimilarity(sample, scale, aa, s));
      if (found == null) {
        return null;
      }
      step = correctStep(v, cols, aa, found[0], allowance, minStep);
    }
    double margin = SUM_ERROR_PER_VALUE * v.length;
    // The pass that codes also measures the similarity; a miss (rare) costs one more pass at a step scaled by the
    // error it measured.
    for (int attempt = 0; attempt < 8; attempt++) {
      Model model = Model.of(v, cols, step, a.maxAbs);
      byte[] contexts = model.contexts == 1 ? null : contexts(v, cols, step);
      QuantPass.Coded coded = QuantPass.code(v, step, a.maxAbs, model.enc, contexts, model.symbolBits, model.rawBits);
      double sim = coded.similarity(aa);
      if (sim - margin >= floor) {
        return new Payload(payload(coded, step, model), sim);
      }
      if (step <= minStep) {
        return null;
      }
      double error = 1 - sim + margin;
      step = Math.max(minStep, step * Math.max(0.5, Math.min(0.999, allowance / error * PREDICT_MARGIN)));
    }
    return null;
  }

  /** The byte symbol of a zigzagged integer. */
  static int symbol(int z) {
    int n = 28 - Integer.numberOfLeadingZeros(z | 15);
    return (n << 3) + (z >>> n);
  }

  /**
   * Contexts and frequency tables chosen on a sample at the coding step: blocks of {@value #BLOCK_ROWS} whole rows
   * spread over the tensor, each after {@value #WARM_ROWS} rows that only settle the channel levels. The contexts
   * merge on the sample's own counts, not scaled up: scaled, its noise alone looks like context worth a table. Every
   * symbol up to the one the largest magnitude needs keeps a frequency in every table, since values outside the sample
   * may use it; on dense tensors that is a few symbols of 1/4096 each.
   */
  record Model(int contexts, int[] map, Rans.Tables tables, long[] enc, double symbolBits, double rawBits) {

    static Model of(float[] v, int cols, double step, float maxAbs) {
      int rows = v.length / cols;
      int want = Math.max(1, Math.min(MODEL_SAMPLE, v.length / 4) / cols);
      int blocks = Math.min(rows, (want + BLOCK_ROWS - 1) / BLOCK_ROWS);
      int spacing = rows / blocks;
      long[] counts = new long[FINE_CONTEXTS * ALPHABET];
      int[] level = new int[cols];
      double inv = 1.0 / step;
      for (int b = 0; b < blocks; b++) {
        int first = b * spacing;
        int last = Math.min(rows, first + BLOCK_ROWS);
        Arrays.fill(level, 0);
        for (int r = Math.max(0, first - WARM_ROWS); r < last; r++) {
          boolean counted = r >= first;
          for (int c = 0, i = r * cols; c < cols; c++, i++) {
            int q = (int) Math.rint(v[i] * inv);
            int z = (q << 1) ^ (q >> 31);
            if (counted) {
              counts[context(level[c]) * ALPHABET + symbol(z)]++;
            }
            level[c] = nextLevel(level[c], z);
          }
        }
      }
      ContextMerger.Merged merged = ContextMerger.merge(counts, FINE_CONTEXTS, ALPHABET);
      long[] coarse = merged.counts();
      int largest = symbol(2 * (int) Math.rint(maxAbs * inv));
      long total = 0;
      for (int c = 0; c < merged.contexts(); c++) {
        for (int s = 0; s < ALPHABET; s++) {
          if (s <= largest) {
            coarse[c * ALPHABET + s] = Math.max(1, coarse[c * ALPHABET + s]);
          }
          total += coarse[c * ALPHABET + s];
        }
      }
      Rans.Tables tables = Rans.Tables.fromCounts(coarse, merged.contexts(), ALPHABET);
      // Expected bits a value, to size the output buffers.
      double symbolBits = 0;
      double rawBits = 0;
      for (int c = 0; c < merged.contexts(); c++) {
        for (int s = 0; s < ALPHABET; s++) {
          long k = coarse[c * ALPHABET + s];
          if (k > 0) {
            symbolBits += k * (Rans.SCALE_BITS - Math.log(tables.freq[c * ALPHABET + s]) / Math.log(2));
            rawBits += (double) k * EXTRA_BITS[s];
          }
        }
      }
      return new Model(
          merged.contexts(), merged.map(), tables, tables.byFineContext(merged.map()), symbolBits / total,
          rawBits / total);
    }
  }

  /**
   * Each value's fine context (its channel's level before it), in a forward pass: levels look at earlier rows. Each row
   * runs three loops (contexts from the levels, the row's integers, the new levels) with no dependency between
   * channels, which the compiler vectorises where one loop mixing them it does not.
   */
  static byte[] contexts(float[] v, int cols, double step) {
    int n = v.length;
    byte[] out = new byte[n];
    int[] level = new int[cols];
    int[] z = new int[cols];
    double inv = 1.0 / step;
    for (int i = 0; i + cols <= n; i += cols) {
      for (int c = 0; c < cols; c++) {
        out[i + c] = (byte) context(level[c]);
      }
      for (int c = 0; c < cols; c++) {
        int q = (int) Math.rint(v[i + c] * inv);
        z[c] = (q << 1) ^ (q >> 31);
      }
      for (int c = 0; c < cols; c++) {
        level[c] = nextLevel(level[c], z[c]);
      }
    }
    return out;
  }

  /** The blob's payload around a coding pass's streams. */
  private static byte[] payload(QuantPass.Coded coded, double step, Model model) {
    int ransLen = coded.rans().length - coded.ransFrom();
    int rawLen = coded.raw().length - coded.rawFrom();
    // Sized exactly, so the writer hands its buffer over instead of copying the streams once more. The tables are
    // measured by writing them with an empty rANS section, whose one-byte length the sum takes back out.
    ByteWriter tables = new ByteWriter(1024);
    ContextStream.write(tables, model.contexts, model.map, model.tables, coded.rans(), 0, 0);
    int size =
        8 + tables.size() - 1 + ByteWriter.varintSize(ransLen) + ransLen + 1 + ByteWriter.varintSize(rawLen) + rawLen;
    ByteWriter w = new ByteWriter(size);
    w.f64(step);
    ContextStream.write(w, model.contexts, model.map, model.tables, coded.rans(), coded.ransFrom(), ransLen);
    w.u8(coded.pad());
    w.section(coded.raw(), coded.rawFrom(), rawLen);
    return w.toByteArray();
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
    int m = sample.length;
    // A block's rounding errors in a loop of their own, which vectorises, then summed in independent lanes.
    double[] err = new double[Math.min(m, QuantPass.BLOCK)];
    double[] sums = new double[16];
    for (int from = 0; from < m; from += err.length) {
      int len = Math.min(err.length, m - from);
      for (int j = 0; j < len; j++) {
        double x = sample[from + j];
        err[j] = x - (float) (Math.rint(x * inv) * step);
      }
      QuantPass.addErrorSums(sample, from, err, len, sums);
    }
    double[] total = QuantPass.totals(sums);
    double dd = total[1] * scale;
    double xe = total[0] * scale;
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
  static final int[] CONTEXT_KEY = new int[33];

  static {
    for (int k = 0; k <= 32; k++) {
      CONTEXT_KEY[k] = Math.min(FINE_CONTEXTS - 1, 32 - k) << 8;
    }
  }

  /** Fine context: the octave of the channel's level. */
  static int context(int level) {
    return Math.min(FINE_CONTEXTS - 1, 32 - Integer.numberOfLeadingZeros(level >>> 4));
  }

  /** Each coarse context's rANS table offset in a decoder's tables, indexed as {@link #CONTEXT_KEY} is. */
  static int[] contextBases(int[] fineToCoarse) {
    int[] bases = new int[33];
    for (int k = 0; k <= 32; k++) {
      bases[k] = fineToCoarse[CONTEXT_KEY[k] >>> 8] << Rans.SCALE_BITS;
    }
    return bases;
  }

  /** Whether every context codes with the first table, so a decoder can skip the channel levels. */
  static boolean oneTable(int[] contextBases) {
    for (int base : contextBases) {
      if (base != 0) {
        return false;
      }
    }
    return true;
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
    Rans.Decoder rans = entropy.rans();
    if (n % cols != 0) {
      throw new CodecException("corrupt blob: " + n + " values do not fill rows of " + cols);
    }
    int pad = payload.u8("raw bit padding");
    if (pad > 7) {
      throw new CodecException("corrupt blob: " + pad + " padding bits before the raw bits");
    }
    ByteReader rawSection = payload.section("raw bits");
    payload.expectEnd("quant payload");
    int rawLen = rawSection.remaining();
    // A run of CHUNK values reads at most 27 raw bits (a forged stream's largest symbol) and one rANS word each: with
    // that much padding after each stream, reads need checking once a run rather than once a value, and a forged
    // stream is caught at the next run's check or at the end.
    byte[] raw = new byte[Math.addExact(rawLen, 27 * CHUNK / 8 + 16)];
    System.arraycopy(rawSection.array(), rawSection.position(), raw, 0, rawLen);
    long rawBits = 8L * rawLen;
    int end = rans.end;
    byte[] buf = rans.buf;
    float[] out = new float[n];
    int rows = n / cols;
    int[] level = new int[cols];
    int[] dec = rans.dec;
    int[] mask = MASK;
    int[] base = BASE;
    // Each run's zigzagged integers, turned into floats by a loop of their own, which the compiler vectorises.
    int[] zs = new int[CHUNK];
    int[] tableBase = new int[CHUNK];
    // The rANS step is written out here with its state in locals: going through the decoder's fields costs a
    // store and a reload on every symbol's critical path. The raw bit position is one counter, so the only chain
    // through it is an add.
    long x0 = rans.x0;
    long x1 = rans.x1;
    long x2 = rans.x2;
    long x3 = rans.x3;
    int pos = rans.pos;
    long bitPos = pad;
    for (int r = 0, i = 0; r < rows; r++) {
      for (int from = 0; from < cols; from += CHUNK) {
        if (pos > end || bitPos > rawBits) {
          throw new CodecException("corrupt blob: quant streams end before value " + i);
        }
        int len = Math.min(cols - from, CHUNK);
        if (oneTable) {
          // Dense tensors usually merge every context into one table: then the channel levels choose nothing.
          for (int j = 0; j < len; j++) {
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
            long word = (long) LONG_LE.get(raw, (int) (bitPos >>> 3)) >>> (bitPos & 7);
            bitPos += Integer.bitCount(m);
            zs[j] = base[s] | ((int) word & m);
          }
        } else {
          // The run's tables come from the levels earlier rows left, and its values update the levels for the next
          // row: both in loops of their own, which keeps them off the serial decoding loop (the update vectorises).
          for (int j = 0; j < len; j++) {
            tableBase[j] = ctxBase[Integer.numberOfLeadingZeros(level[from + j] >>> 4)];
          }
          for (int j = 0; j < len; j++) {
            int e = dec[tableBase[j] | ((int) x0 & (Rans.M - 1))];
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
            long word = (long) LONG_LE.get(raw, (int) (bitPos >>> 3)) >>> (bitPos & 7);
            bitPos += Integer.bitCount(m);
            zs[j] = base[s] | ((int) word & m);
          }
          for (int j = 0; j < len; j++) {
            level[from + j] = nextLevel(level[from + j], zs[j]);
          }
        }
        dequantise(zs, len, step, out, i);
        i += len;
      }
    }
    rans.x0 = x0;
    rans.x1 = x1;
    rans.x2 = x2;
    rans.x3 = x3;
    rans.pos = pos;
    rans.finish();
    if (bitPos != rawBits) {
      throw new CodecException("corrupt blob: raw bit stream does not end where its data does");
    }
    // The largest magnitude the tables' symbols can carry: when that rebuilds to a finite float, every value does.
    int top = rans.maxSymbol;
    long largest = ((BASE[top] | MASK[top]) >>> 1) + 1L;
    if (!Float.isFinite((float) (largest * step))) {
      requireFinite(out);
    }
    return out;
  }

  @Override
  boolean decodesOnlyFinite() {
    return true;
  }

  /** Rebuilds {@code len} values from their zigzagged integers into {@code out[at..]}. */
  private static void dequantise(int[] zs, int len, double step, float[] out, int at) {
    for (int j = 0; j < len; j++) {
      int z = zs[j];
      int q = (z >>> 1) ^ -(z & 1);
      out[at + j] = (float) (q * step);
    }
  }
}
