package network.subnet.node.codec;

/**
 * Lossy at the floor with the E8 lattice instead of the integer grid: each run of 8 values in a row is rounded to the
 * nearest point of {@code step * E8} (Conway and Sloane's decoder: the better of D8 and D8 + 1/2). E8's cells are
 * rounder than cubes, so at equal squared error the step is 7.8% larger, about 0.11 bit per value less than {@link
 * QuantCodec} at the same similarity. A point is sent as its coset bit (raw), seven integers coded as in {@link
 * QuantCodec}, and the eighth halved, since the even coordinate sum fixes its parity. Values past the last full run of
 * a row fall back to the integer grid. The step search and the exact similarity check work as in {@link QuantCodec}.
 *
 * <p>Payload: f64 step, u8 coarse-context count, {@value #FINE} u8 fine-to-coarse map, rANS tables, rANS stream
 * section, raw-bits section.
 */
final class LatticeCodec extends ActivationCodec {

  private static final int LEVELS = QuantCodec.FINE_CONTEXTS;
  static final int FINE = 2 * LEVELS;
  private static final int ALPHABET = QuantCodec.ALPHABET;

  @Override
  public String name() {
    return "e8";
  }

  @Override
  public int id() {
    return 4;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public boolean lossless() {
    return false;
  }

  /** Symbols, contexts and raw bits of one pass (null when only the similarity is wanted), with the pass's sums. */
  private static final class Pass {
    byte[] symbols;
    byte[] contexts;
    long[] counts;
    BitWriter raw;
    double dot;
    double bb;
    double dd;
  }

  @Override
  Payload encode(Activations a, double floor) {
    if (!(floor < 1)) {
      return null;
    }
    float[] v = a.values;
    int cols = a.rowLength;
    double minStep = a.maxAbs / QuantCodec.MAX_Q;
    double step = estimateStep(v, cols, a.sumSquares, floor, minStep);
    if (step <= 0) {
      return null;
    }
    double allowance = 1 - floor;
    for (int attempt = 0; attempt < 8; attempt++) {
      Pass p = codingPass(v, cols, step);
      double sim = Similarity.fromSums(p.dot, a.sumSquares, p.bb, p.dd).similarity();
      if (sim >= floor) {
        if (attempt == 0 && 1 - sim < QuantCodec.REFINE_BELOW * allowance) {
          double better = step * allowance / (1 - sim) * QuantCodec.SAMPLE_MARGIN;
          Pass again = codingPass(v, cols, better);
          double againSim = Similarity.fromSums(again.dot, a.sumSquares, again.bb, again.dd).similarity();
          if (againSim >= floor) {
            return new Payload(finish(again, better), againSim);
          }
        }
        return new Payload(finish(p, step), sim);
      }
      if (step <= minStep) {
        return null;
      }
      step = Math.max(minStep, step * Math.max(0.5, Math.min(0.999, allowance / (1 - sim) * 0.999)));
    }
    return null;
  }

  private static Pass codingPass(float[] v, int cols, double step) {
    Pass p = new Pass();
    p.symbols = new byte[v.length];
    p.contexts = new byte[v.length];
    p.counts = new long[FINE * ALPHABET];
    p.raw = new BitWriter(v.length);
    run(v, cols, step, p);
    return p;
  }

  /** The step searched on whole rows (every k-th), so runs of 8 stay intact. */
  private static double estimateStep(float[] v, int cols, double aa, double floor, double minStep) {
    int rows = v.length / cols;
    float[] sample = v;
    double ss = aa;
    double target = floor;
    if (v.length > QuantCodec.SAMPLE && rows > 1) {
      int stride = Math.max(1, (int) ((long) v.length / QuantCodec.SAMPLE));
      int take = (rows + stride - 1) / stride;
      float[] s = new float[take * cols];
      double sum = 0;
      for (int r = 0, j = 0; r < rows; r += stride, j += cols) {
        System.arraycopy(v, r * cols, s, j, cols);
      }
      for (float x : s) {
        sum += (double) x * x;
      }
      if (sum > 0) {
        sample = s;
        ss = sum;
        target = 1 - (1 - floor) * QuantCodec.SAMPLE_MARGIN;
      }
    }
    float[] in = sample;
    double inSs = ss;
    double[] found =
        QuantCodec.searchStep(
            in.length,
            inSs,
            target,
            minStep,
            step -> {
              Pass p = new Pass();
              run(in, cols, step, p);
              return Similarity.fromSums(p.dot, inSs, p.bb, p.dd).similarity();
            });
    return found == null ? -1 : found[0];
  }

  /** Quantises every value; codes it too when {@code p.symbols} is set. */
  private static void run(float[] v, int cols, double step, Pass p) {
    int rows = v.length / cols;
    int runs = cols / 8;
    double inv = 1.0 / step;
    boolean code = p.symbols != null;
    int[] level = new int[cols];
    double[] u = new double[8];
    int[] k = new int[8];
    int[] scratch = new int[8];
    // Even and odd flat indices sum apart, in Similarity's order.
    double[] sums = new double[6];
    for (int r = 0; r < rows; r++) {
      int rowStart = r * cols;
      for (int b = 0; b < runs; b++) {
        int start = rowStart + 8 * b;
        for (int j = 0; j < 8; j++) {
          u[j] = v[start + j] * inv;
        }
        int coset = nearest(u, k, scratch);
        double half = 0.5 * coset;
        if (code) {
          p.raw.write(coset, 1);
        }
        int parity = 0;
        for (int j = 0; j < 8; j++) {
          int i = start + j;
          double x = v[i];
          double y = (float) ((k[j] + half) * step);
          int lane = 3 * (i & 1);
          sums[lane] += x * y;
          sums[lane + 1] += y * y;
          sums[lane + 2] += (x - y) * (x - y);
          if (code) {
            int c = 8 * b + j;
            int z = zigzag(k[j]);
            int sent;
            int ctx;
            if (j < 7) {
              parity += k[j];
              sent = z;
              ctx = QuantCodec.context(level[c]);
            } else {
              sent = zigzag((k[j] - (parity & 1)) >> 1);
              ctx = LEVELS + QuantCodec.context(level[c]);
            }
            put(p, i, sent, ctx);
            level[c] = QuantCodec.nextLevel(level[c], z);
          }
        }
      }
      for (int c = 8 * runs; c < cols; c++) {
        int i = rowStart + c;
        double x = v[i];
        int q = (int) Math.rint(x * inv);
        double y = (float) ((q + 0.0) * step);
        int lane = 3 * (i & 1);
        sums[lane] += x * y;
        sums[lane + 1] += y * y;
        sums[lane + 2] += (x - y) * (x - y);
        if (code) {
          int z = zigzag(q);
          put(p, i, z, QuantCodec.context(level[c]));
          level[c] = QuantCodec.nextLevel(level[c], z);
        }
      }
    }
    p.dot = sums[0] + sums[3];
    p.bb = sums[1] + sums[4];
    p.dd = sums[2] + sums[5];
  }

  private static void put(Pass p, int i, int z, int ctx) {
    int extra = Math.max(0, 28 - Integer.numberOfLeadingZeros(z));
    int s = (extra << 3) + (z >>> extra);
    p.raw.write(z, extra);
    p.symbols[i] = (byte) s;
    p.contexts[i] = (byte) ctx;
    p.counts[ctx * ALPHABET + s]++;
  }

  private static int zigzag(int q) {
    return (q << 1) ^ (q >> 31);
  }

  /**
   * Nearest E8 point to {@code u}: integer parts into {@code k}, returns the coset (0: the point is {@code k}, 1: it is
   * {@code k + 1/2}). Both cosets keep the coordinate sum of {@code k} even. {@code a} is scratch space of 8.
   */
  static int nearest(double[] u, int[] k, int[] a) {
    double ea = nearestD8(u, 0.0, a);
    double eb = nearestD8(u, 0.5, k);
    if (ea <= eb) {
      System.arraycopy(a, 0, k, 0, 8);
      return 0;
    }
    return 1;
  }

  /** Nearest point of D8 + shift: rounds each coordinate, then re-rounds the worst one if the sum is odd. */
  private static double nearestD8(double[] u, double shift, int[] out) {
    double err = 0;
    int sum = 0;
    int worst = 0;
    double worstAbs = -1;
    for (int j = 0; j < 8; j++) {
      double w = u[j] - shift;
      double f = Math.rint(w);
      double d = w - f;
      out[j] = (int) f;
      sum += out[j];
      err += d * d;
      double ad = Math.abs(d);
      if (ad > worstAbs) {
        worstAbs = ad;
        worst = j;
      }
    }
    if ((sum & 1) != 0) {
      double d = u[worst] - shift - out[worst];
      out[worst] += d >= 0 ? 1 : -1;
      err += 1 - 2 * Math.abs(d);
    }
    return err;
  }

  private static byte[] finish(Pass p, double step) {
    int n = p.symbols.length;
    ContextMerger.Merged merged = ContextMerger.merge(p.counts, FINE, ALPHABET);
    int[] map = merged.map();
    for (int i = 0; i < n; i++) {
      p.contexts[i] = (byte) map[p.contexts[i]];
    }
    Rans.Tables tables = Rans.Tables.fromCounts(merged.counts(), merged.contexts(), ALPHABET);
    byte[] stream = Rans.encode(p.symbols, p.contexts, n, tables);
    byte[] rawBits = p.raw.finish();
    ByteWriter w = new ByteWriter(stream.length + rawBits.length + 2048);
    w.f64(step);
    ContextStream.write(w, merged.contexts(), map, tables, stream);
    w.section(rawBits);
    return w.toByteArray();
  }

  @Override
  float[] decode(BlobHeader header, ByteReader payload) {
    int n = (int) header.elementCount();
    int cols = header.rowLength();
    int rows = n / cols;
    int runs = cols / 8;
    double step = ContextStream.readStep(payload, "lattice");
    ContextStream.Read entropy = ContextStream.read(payload, FINE, ALPHABET);
    int[] map = entropy.map();
    Rans.Decoder rans = entropy.rans();
    BitReader raw = new BitReader(payload.section("raw bits"));
    payload.expectEnd("e8 payload");
    float[] out = new float[n];
    int[] level = new int[cols];
    for (int r = 0; r < rows; r++) {
      int rowStart = r * cols;
      for (int b = 0; b < runs; b++) {
        double half = 0.5 * raw.read(1);
        int parity = 0;
        for (int j = 0; j < 8; j++) {
          int c = 8 * b + j;
          int q;
          if (j < 7) {
            int s = rans.decode(map[QuantCodec.context(level[c])]);
            int z = QuantCodec.BASE[s] | raw.read(QuantCodec.EXTRA_BITS[s]);
            q = (z >>> 1) ^ -(z & 1);
            parity += q;
          } else {
            int s = rans.decode(map[LEVELS + QuantCodec.context(level[c])]);
            int z = QuantCodec.BASE[s] | raw.read(QuantCodec.EXTRA_BITS[s]);
            q = 2 * ((z >>> 1) ^ -(z & 1)) + (parity & 1);
          }
          level[c] = QuantCodec.nextLevel(level[c], zigzag(q));
          out[rowStart + c] = (float) ((q + half) * step);
        }
      }
      for (int c = 8 * runs; c < cols; c++) {
        int s = rans.decode(map[QuantCodec.context(level[c])]);
        int z = QuantCodec.BASE[s] | raw.read(QuantCodec.EXTRA_BITS[s]);
        int q = (z >>> 1) ^ -(z & 1);
        level[c] = QuantCodec.nextLevel(level[c], z);
        out[rowStart + c] = (float) ((q + 0.0) * step);
      }
    }
    rans.finish();
    raw.finish();
    return out;
  }
}
