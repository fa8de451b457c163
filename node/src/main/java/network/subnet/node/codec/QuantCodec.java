package network.subnet.node.codec;

/**
 * Lossy at the floor: one global step {@code s}, each value sent as {@code q = rint(x / s)} and rebuilt as {@code
 * (float) (q * s)}. The step is searched so the exact Apex similarity of the rebuilt tensor lands just above the
 * floor (a uniform step is what minimises squared error per bit at these rates, and the similarity is a function of
 * that error). The integers are zigzagged and split into a byte symbol (exact below 16, then 8 sub-buckets per
 * octave) plus raw low bits; symbols go through multi-context rANS whose context is the running size of the same
 * channel in earlier rows (rows are tokens, the last dimension is channels), which is where outlier channels and
 * ReLU zeros show.
 *
 * <p>Payload: f64 step, u8 coarse-context count, {@value #FINE_CONTEXTS} u8 fine-to-coarse map, rANS tables, rANS
 * stream section, raw-bits section.
 */
final class QuantCodec extends ActivationCodec {

  static final int FINE_CONTEXTS = 16;
  static final int ALPHABET = 232;
  /** Keeps {@code |q| < 2^29}, so zigzagged integers and their sums stay within an int. */
  static final double MAX_Q = 1 << 29;

  static final int[] BASE = new int[ALPHABET];
  static final int[] EXTRA_BITS = new int[ALPHABET];

  static {
    for (int s = 0; s < ALPHABET; s++) {
      EXTRA_BITS[s] = Math.max(0, (s >>> 3) - 1);
      BASE[s] = s < 16 ? s : (8 | (s & 7)) << EXTRA_BITS[s];
    }
  }

  static final int SAMPLE = 1 << 18;
  /** Aim the sample's error a little inside the allowance, so sampling noise rarely costs a second pass. */
  static final double SAMPLE_MARGIN = 0.996;
  /** A first pass whose error is below this fraction of the allowance earns a second, coarser one. */
  static final double REFINE_BELOW = 0.985;

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
    double maxAbs = 0;
    for (float x : v) {
      maxAbs = Math.max(maxAbs, Math.abs(x));
    }
    double minStep = maxAbs / MAX_Q;
    double allowance = 1 - floor;
    double step = estimateStep(v, a.sumSquares, floor, minStep);
    if (step <= 0) {
      return null;
    }
    // The estimate came from a sample; the pass that quantises also measures the exact similarity, and a miss (rare)
    // costs one more pass at a step scaled by the exact error.
    for (int attempt = 0; attempt < 8; attempt++) {
      Pass pass = quantise(v, a.rowLength, step);
      double sim = Similarity.fromSums(pass.dot, a.sumSquares, pass.bb, pass.dd).similarity();
      if (sim >= floor) {
        if (attempt == 0 && 1 - sim < REFINE_BELOW * allowance) {
          // The sample misjudged the tensor (heavy tails do that): one more pass at the step the exact error asks for.
          double better = step * allowance / (1 - sim) * SAMPLE_MARGIN;
          Pass again = quantise(v, a.rowLength, better);
          double againSim = Similarity.fromSums(again.dot, a.sumSquares, again.bb, again.dd).similarity();
          if (againSim >= floor) {
            return new Payload(again.finish(better), againSim);
          }
        }
        return new Payload(pass.finish(step), sim);
      }
      if (step <= minStep) {
        return null;
      }
      double error = 1 - sim;
      step = Math.max(minStep, step * Math.max(0.5, Math.min(0.999, allowance / error * 0.999)));
    }
    return null;
  }

  /** A step close under the floor's allowance, searched on a strided sample of at most 2^18 values. */
  private static double estimateStep(float[] v, double aa, double floor, double minStep) {
    int n = v.length;
    if (n <= SAMPLE) {
      double[] found = searchStep(v, aa, floor, minStep);
      return found == null ? -1 : found[0];
    }
    int stride = (n / SAMPLE) | 1;
    float[] sample = new float[n / stride];
    double ss = 0;
    for (int i = 0, j = 0; j < sample.length; i += stride, j++) {
      sample[j] = v[i];
      ss += (double) v[i] * v[i];
    }
    if (ss == 0) {
      double[] found = searchStep(v, aa, floor, minStep);
      return found == null ? -1 : found[0];
    }
    double[] found = searchStep(sample, ss, 1 - (1 - floor) * SAMPLE_MARGIN, minStep);
    return found == null ? -1 : found[0];
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

  /** Symbols, contexts and raw bits of one quantisation, with the sums its exact similarity needs. */
  private static final class Pass {
    final byte[] symbols;
    final byte[] contexts;
    final long[] counts = new long[FINE_CONTEXTS * ALPHABET];
    final BitWriter raw;
    double dot;
    double bb;
    double dd;

    Pass(int n) {
      symbols = new byte[n];
      contexts = new byte[n];
      raw = new BitWriter(n / 2);
    }

    byte[] finish(double step) {
      int n = symbols.length;
      ContextMerger.Merged merged = ContextMerger.merge(counts, FINE_CONTEXTS, ALPHABET);
      int[] map = merged.map();
      if (merged.contexts() == 1) {
        java.util.Arrays.fill(contexts, (byte) 0);
      } else {
        for (int i = 0; i < n; i++) {
          contexts[i] = (byte) map[contexts[i]];
        }
      }
      Rans.Tables tables = Rans.Tables.fromCounts(merged.counts(), merged.contexts(), ALPHABET);
      byte[] stream = Rans.encode(symbols, contexts, n, tables);
      byte[] rawBits = raw.finish();
      ByteWriter w = new ByteWriter(stream.length + rawBits.length + 2048);
      w.f64(step);
      ContextStream.write(w, merged.contexts(), map, tables, stream);
      w.section(rawBits);
      return w.toByteArray();
    }
  }

  private static Pass quantise(float[] v, int cols, double step) {
    int n = v.length;
    int rows = n / cols;
    double inv = 1.0 / step;
    Pass p = new Pass(n);
    byte[] symbols = p.symbols;
    byte[] contexts = p.contexts;
    long[] counts = p.counts;
    BitWriter raw = p.raw;
    int[] level = new int[cols];
    double dot = 0;
    double bb = 0;
    double dd = 0;
    for (int r = 0, i = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++, i++) {
        double x = v[i];
        int q = (int) Math.rint(x * inv);
        double y = (float) (q * step);
        dot += x * y;
        bb += y * y;
        dd += (x - y) * (x - y);
        int z = (q << 1) ^ (q >> 31);
        int ctx = context(level[c]);
        int extra = Math.max(0, 28 - Integer.numberOfLeadingZeros(z));
        int s = (extra << 3) + (z >>> extra);
        raw.write(z, extra);
        symbols[i] = (byte) s;
        contexts[i] = (byte) ctx;
        counts[ctx * ALPHABET + s]++;
        level[c] = nextLevel(level[c], z);
      }
    }
    p.dot = dot;
    p.bb = bb;
    p.dd = dd;
    return p;
  }

  /**
   * Each channel's level is a running mean of its zigzagged integers (x16, weight 1/4 on the newest row); only earlier
   * rows feed it, so decoding a row has no serial dependency through the context.
   */
  static int nextLevel(int level, int z) {
    return level + (((Math.min(z, 1 << 20)) << 4) - level >> 2);
  }

  /** Fine context: the octave of the channel's level. */
  static int context(int level) {
    return Math.min(FINE_CONTEXTS - 1, 32 - Integer.numberOfLeadingZeros(level >>> 4));
  }

  @Override
  float[] decode(BlobHeader header, ByteReader payload) {
    int n = (int) header.elementCount();
    int cols = header.rowLength();
    int rows = n / cols;
    double step = ContextStream.readStep(payload, "quantisation");
    ContextStream.Read entropy = ContextStream.read(payload, FINE_CONTEXTS, ALPHABET);
    int[] map = entropy.map();
    Rans.Decoder rans = entropy.rans();
    BitReader raw = new BitReader(payload.section("raw bits"));
    payload.expectEnd("quant payload");
    float[] out = new float[n];
    int[] level = new int[cols];
    // The rANS step is written out here with its state in locals: going through the decoder's fields costs a
    // store and a reload on every symbol's critical path.
    byte[] buf = rans.buf;
    int end = rans.end;
    byte[] slotToSymbol = rans.slotToSymbol;
    int[] freq = rans.freq;
    int[] cum = rans.cum;
    long x0 = rans.x0;
    long x1 = rans.x1;
    long x2 = rans.x2;
    long x3 = rans.x3;
    int pos = rans.pos;
    for (int r = 0, i = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++, i++) {
        int ctx = map[context(level[c])];
        int slot = (int) x0 & (Rans.M - 1);
        int s = slotToSymbol[(ctx << Rans.SCALE_BITS) | slot] & 0xFF;
        int k = ctx * ALPHABET + s;
        long x = freq[k] * (x0 >>> Rans.SCALE_BITS) + slot - cum[k];
        int at = Math.min(pos, end);
        long w = (buf[at] & 0xFF) | ((buf[at + 1] & 0xFF) << 8);
        boolean refill = x < (1L << 16);
        x = refill ? (x << 16) | w : x;
        pos = refill ? pos + 2 : pos;
        x0 = x1;
        x1 = x2;
        x2 = x3;
        x3 = x;
        int z = BASE[s] | raw.read(EXTRA_BITS[s]);
        level[c] = nextLevel(level[c], z);
        int q = (z >>> 1) ^ -(z & 1);
        out[i] = (float) (q * step);
      }
    }
    rans.x0 = x0;
    rans.x1 = x1;
    rans.x2 = x2;
    rans.x3 = x3;
    rans.pos = pos;
    rans.finish();
    raw.finish();
    return out;
  }
}
