package network.subnet.node.codec;

/**
 * Static multi-context rANS (after ryg_rans): 32-bit states, 16-bit renormalisation, 12-bit probabilities, two
 * interleaved states so consecutive symbols do not wait on each other. Symbols and contexts are bytes; each context has
 * its own frequency table, sent in the blob. A forged stream can only decode to wrong symbols (every table lookup stays
 * in range), and {@link Decoder#finish()} catches streams that do not end where the encoder started.
 */
final class Rans {

  static final int SCALE_BITS = 12;
  static final int M = 1 << SCALE_BITS;
  private static final long L = 1L << 16;

  private Rans() {}

  /** Normalised frequency tables, one row of {@code alphabet} entries per context. */
  static final class Tables {
    final int contexts;
    final int alphabet;
    final int[] freq;
    final int[] cum;
    final double[] inverse;
    final byte[] slotToSymbol;
    private final int[] used;

    private Tables(int contexts, int alphabet) {
      if (contexts < 1 || contexts > 256 || alphabet < 1 || alphabet > 256) {
        throw new IllegalArgumentException("rANS supports 1..256 contexts and symbols");
      }
      this.contexts = contexts;
      this.alphabet = alphabet;
      this.freq = new int[contexts * alphabet];
      this.cum = new int[contexts * alphabet];
      this.inverse = new double[contexts * alphabet];
      this.slotToSymbol = new byte[contexts * M];
      this.used = new int[contexts];
    }

    /** Tables from symbol counts ({@code counts[ctx * alphabet + symbol]}). */
    static Tables fromCounts(long[] counts, int contexts, int alphabet) {
      Tables t = new Tables(contexts, alphabet);
      for (int c = 0; c < contexts; c++) {
        t.normalise(counts, c);
      }
      t.finishSetup();
      return t;
    }

    private void normalise(long[] counts, int c) {
      int base = c * alphabet;
      long total = 0;
      int last = -1;
      for (int s = 0; s < alphabet; s++) {
        total += counts[base + s];
        if (counts[base + s] > 0) {
          last = s;
        }
      }
      if (total == 0) {
        freq[base] = M;
        used[c] = 0;
        return;
      }
      used[c] = last + 1;
      int sum = 0;
      int biggest = -1;
      for (int s = 0; s < alphabet; s++) {
        long n = counts[base + s];
        if (n > 0) {
          int f = (int) Math.max(1, Math.round((double) n * M / total));
          freq[base + s] = f;
          sum += f;
          if (biggest < 0 || f > freq[base + biggest]) {
            biggest = s;
          }
        }
      }
      int diff = M - sum;
      if (freq[base + biggest] + diff >= 1) {
        freq[base + biggest] += diff;
        return;
      }
      // Many rare symbols rounded up to 1: take the excess from every symbol that can spare it.
      while (diff != 0) {
        for (int s = 0; s < alphabet && diff < 0; s++) {
          if (freq[base + s] > 1) {
            freq[base + s]--;
            diff++;
          }
        }
      }
    }

    private void finishSetup() {
      for (int c = 0; c < contexts; c++) {
        int base = c * alphabet;
        int run = 0;
        for (int s = 0; s < alphabet; s++) {
          int f = freq[base + s];
          cum[base + s] = run;
          inverse[base + s] = f == 0 ? 0 : 1.0 / f;
          for (int k = 0; k < f; k++) {
            slotToSymbol[c * M + run + k] = (byte) s;
          }
          run += f;
        }
      }
    }

    boolean isEmpty(int ctx) {
      return used[ctx] == 0;
    }

    /** Estimated coded size in bits of the given counts under these tables. */
    static double costBits(long[] counts, int contexts, int alphabet) {
      double bits = 0;
      for (int c = 0; c < contexts; c++) {
        long total = 0;
        for (int s = 0; s < alphabet; s++) {
          total += counts[c * alphabet + s];
        }
        for (int s = 0; s < alphabet; s++) {
          long n = counts[c * alphabet + s];
          if (n > 0) {
            bits -= n * (Math.log((double) n / total) / Math.log(2));
          }
        }
      }
      return bits;
    }

    void write(ByteWriter w) {
      for (int c = 0; c < contexts; c++) {
        w.varint(used[c]);
        for (int s = 0; s < used[c]; s++) {
          w.varint(freq[c * alphabet + s]);
        }
      }
    }

    static Tables read(ByteReader r, int contexts, int alphabet) {
      Tables t = new Tables(contexts, alphabet);
      for (int c = 0; c < contexts; c++) {
        int n = r.boundedInt("rANS table size", alphabet);
        t.used[c] = n;
        if (n == 0) {
          t.freq[c * alphabet] = M;
          continue;
        }
        int sum = 0;
        for (int s = 0; s < n; s++) {
          int f = r.boundedInt("rANS frequency", M);
          t.freq[c * alphabet + s] = f;
          sum += f;
        }
        if (sum != M) {
          throw new CodecException("corrupt blob: rANS frequencies of context " + c + " sum to " + sum + ", not " + M);
        }
      }
      t.finishSetup();
      return t;
    }
  }

  /** Encodes {@code symbols[i]} under context {@code contexts[i]} for i in [0, n); every pair must have a count. */
  static byte[] encode(byte[] symbols, byte[] contexts, int n, Tables t) {
    char[] out = new char[n + 8];
    int p = out.length;
    long x0 = L;
    long x1 = L;
    int[] freq = t.freq;
    int[] cum = t.cum;
    double[] inverse = t.inverse;
    int alphabet = t.alphabet;
    for (int i = n - 1; i >= 0; i--) {
      int k = (contexts[i] & 0xFF) * alphabet + (symbols[i] & 0xFF);
      int f = freq[k];
      long x = (i & 1) == 0 ? x0 : x1;
      if (x >= ((long) f << (32 - SCALE_BITS))) {
        out[--p] = (char) x;
        x >>>= 16;
      }
      long q = (long) (x * inverse[k]);
      long r = x - q * f;
      if (r >= f) {
        q++;
        r -= f;
      }
      x = (q << SCALE_BITS) + r + cum[k];
      if ((i & 1) == 0) {
        x0 = x;
      } else {
        x1 = x;
      }
    }
    out[--p] = (char) (x1 >>> 16);
    out[--p] = (char) x1;
    out[--p] = (char) (x0 >>> 16);
    out[--p] = (char) x0;
    byte[] bytes = new byte[(out.length - p) * 2];
    for (int i = p, j = 0; i < out.length; i++, j += 2) {
      bytes[j] = (byte) out[i];
      bytes[j + 1] = (byte) (out[i] >>> 8);
    }
    return bytes;
  }

  /** Decodes symbols in the order they were given to {@link #encode}. */
  static final class Decoder {
    private final byte[] buf;
    private int pos;
    private final int end;
    private final Tables t;
    private long x0;
    private long x1;

    Decoder(ByteReader section, Tables t) {
      this.buf = section.array();
      this.pos = section.position();
      this.end = pos + section.remaining();
      this.t = t;
      if (section.remaining() < 8 || (section.remaining() & 1) != 0) {
        throw new CodecException("corrupt blob: entropy-coded stream of " + section.remaining() + " bytes");
      }
      x0 = word() | (word() << 16);
      x1 = word() | (word() << 16);
    }

    private long word() {
      if (pos >= end) {
        throw new CodecException("corrupt blob: entropy-coded stream ends early");
      }
      long w = (buf[pos] & 0xFF) | ((buf[pos + 1] & 0xFF) << 8);
      pos += 2;
      return w;
    }

    int decode(int ctx) {
      long x = x0;
      int slot = (int) x & (M - 1);
      int s = t.slotToSymbol[(ctx << SCALE_BITS) + slot] & 0xFF;
      int k = ctx * t.alphabet + s;
      x = t.freq[k] * (x >>> SCALE_BITS) + slot - t.cum[k];
      if (x < L) {
        x = (x << 16) | word();
      }
      x0 = x1;
      x1 = x;
      return s;
    }

    /** Checks that the stream was consumed exactly and both states returned to their start. */
    void finish() {
      if (pos != end || x0 != L || x1 != L) {
        throw new CodecException("corrupt blob: entropy-coded stream does not end cleanly");
      }
    }
  }
}
