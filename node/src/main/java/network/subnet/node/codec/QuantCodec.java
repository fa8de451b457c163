package network.subnet.node.codec;

/**
 * Lossy at the floor: one global step {@code s}, each value sent as {@code q = rint(x / s)} and rebuilt as {@code
 * (float) (q * s)}. The step is searched so the exact Apex similarity of the rebuilt tensor lands just above the
 * floor (a uniform step is what minimises squared error per bit at these rates, and the similarity is a function of
 * that error). The integers are zigzagged and split into a byte symbol (exact below 32, then 8 sub-buckets per octave)
 * plus raw low bits; symbols go through multi-context rANS whose context is the size of the values above (same
 * channel, previous row) and to the left, which is where outlier channels and ReLU zeros show.
 *
 * <p>Payload: f64 step, u8 coarse-context count, {@value #FINE_CONTEXTS} u8 fine-to-coarse map, rANS tables, rANS
 * stream section, raw-bits section.
 */
final class QuantCodec extends ActivationCodec {

  static final int FINE_CONTEXTS = 16;
  static final int ALPHABET = 240;
  private static final int DIRECT = 32;
  /** Keeps {@code |q| < 2^29}, so zigzagged integers and their sums stay within an int. */
  private static final double MAX_Q = 1 << 29;

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
    double[] found = searchStep(v, a.sumSquares, floor, minStep);
    if (found == null) {
      return null;
    }
    return new Payload(encodeWithStep(v, a.rowLength, found[0]), found[1]);
  }

  /** The largest step found whose similarity meets the floor, with that similarity; null if none does. */
  static double[] searchStep(float[] v, double aa, double floor, double minStep) {
    double allowance = 1 - floor;
    double rms = Math.sqrt(aa / v.length);
    // Uniform rounding error is s^2 / 12 per element and 1 - similarity is close to ||a-b|| / ||a|| at these rates.
    double step = Math.max(minStep, rms * Math.sqrt(12) * Math.min(allowance, 1));
    double passStep = -1;
    double passSim = 0;
    double failStep = Double.POSITIVE_INFINITY;
    for (int i = 0; i < MAX_SEARCH_STEPS; i++) {
      double sim = similarity(v, aa, step);
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
        next = failStep == Double.POSITIVE_INFINITY ? passStep * 2 : passStep < 0 ? failStep / 2 : Math.sqrt(passStep * failStep);
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

  static byte[] encodeWithStep(float[] v, int cols, double step) {
    int n = v.length;
    int rows = n / cols;
    double inv = 1.0 / step;
    byte[] symbols = new byte[n];
    byte[] contexts = new byte[n];
    long[] counts = new long[FINE_CONTEXTS * ALPHABET];
    BitWriter raw = new BitWriter(n / 4);
    int[] above = new int[cols];
    for (int r = 0, i = 0; r < rows; r++) {
      int left = 0;
      for (int c = 0; c < cols; c++, i++) {
        int q = (int) Math.rint(v[i] * inv);
        int z = (q << 1) ^ (q >> 31);
        int ctx = context(above[c], left);
        int s;
        if (z < DIRECT) {
          s = z;
        } else {
          int e = 31 - Integer.numberOfLeadingZeros(z);
          s = DIRECT + ((e - 5) << 3) + ((z >>> (e - 3)) & 7);
          raw.write(z, e - 3);
        }
        symbols[i] = (byte) s;
        contexts[i] = (byte) ctx;
        counts[ctx * ALPHABET + s]++;
        above[c] = z;
        left = z;
      }
    }
    ContextMerger.Merged merged = ContextMerger.merge(counts, FINE_CONTEXTS, ALPHABET);
    for (int i = 0; i < n; i++) {
      contexts[i] = (byte) merged.map()[contexts[i]];
    }
    Rans.Tables tables = Rans.Tables.fromCounts(merged.counts(), merged.contexts(), ALPHABET);
    byte[] stream = Rans.encode(symbols, contexts, n, tables);
    byte[] rawBits = raw.finish();
    ByteWriter w = new ByteWriter(stream.length + rawBits.length + 2048);
    w.f64(step);
    w.u8(merged.contexts());
    for (int c = 0; c < FINE_CONTEXTS; c++) {
      w.u8(merged.map()[c]);
    }
    tables.write(w);
    w.section(stream);
    w.section(rawBits);
    return w.toByteArray();
  }

  /** Fine context from the zigzagged neighbours: the octave of their summed magnitude. */
  private static int context(int above, int left) {
    int m = (above >>> 1) + (left >>> 1);
    return Math.min(FINE_CONTEXTS - 1, 32 - Integer.numberOfLeadingZeros(m));
  }

  @Override
  float[] decode(BlobHeader header, ByteReader payload) {
    int n = (int) header.elementCount();
    int cols = header.rowLength();
    int rows = n / cols;
    double step = payload.f64("step");
    if (!(step > 0) || !Double.isFinite(step)) {
      throw new CodecException("corrupt blob: quantisation step " + step);
    }
    int coarse = payload.u8("context count");
    if (coarse < 1 || coarse > FINE_CONTEXTS) {
      throw new CodecException("corrupt blob: " + coarse + " contexts");
    }
    int[] map = new int[FINE_CONTEXTS];
    for (int c = 0; c < FINE_CONTEXTS; c++) {
      map[c] = payload.u8("context map");
      if (map[c] >= coarse) {
        throw new CodecException("corrupt blob: context map entry " + map[c] + " of " + coarse);
      }
    }
    Rans.Tables tables = Rans.Tables.read(payload, coarse, ALPHABET);
    Rans.Decoder rans = new Rans.Decoder(payload.section("rANS stream"), tables);
    BitReader raw = new BitReader(payload.section("raw bits"));
    payload.expectEnd("quant payload");
    float[] out = new float[n];
    int[] above = new int[cols];
    for (int r = 0, i = 0; r < rows; r++) {
      int left = 0;
      for (int c = 0; c < cols; c++, i++) {
        int s = rans.decode(map[context(above[c], left)]);
        int z;
        if (s < DIRECT) {
          z = s;
        } else {
          int e = ((s - DIRECT) >>> 3) + 5;
          z = ((8 | ((s - DIRECT) & 7)) << (e - 3)) | raw.read(e - 3);
        }
        above[c] = z;
        left = z;
        int q = (z >>> 1) ^ -(z & 1);
        out[i] = (float) (q * step);
      }
    }
    rans.finish();
    raw.finish();
    return out;
  }
}
