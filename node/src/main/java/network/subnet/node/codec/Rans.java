package network.subnet.node.codec;

import java.util.Arrays;

/**
 * Static multi-context rANS (after ryg_rans): 32-bit states, 16-bit renormalisation, 12-bit probabilities, four
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
          inverse[base + s] = f == 0 ? 0 : (1.0 + 0x1p-50) / f;
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
    char[] out = new char[n + 16];
    int p = out.length;
    long[] x = {L, L, L, L};
    int[] freq = t.freq;
    int[] cum = t.cum;
    double[] inverse = t.inverse;
    int alphabet = t.alphabet;
    int i = n - 1;
    // Symbol i goes to state i % 4, the order the decoder rotates through them; the tail that does not fill a group
    // of four comes first.
    for (; i >= 0 && (i & 3) != 3; i--) {
      int k = (contexts[i] & 0xFF) * alphabet + (symbols[i] & 0xFF);
      long y = put(x[i & 3], freq[k], cum[k], inverse[k], out, p);
      p -= (int) (y >>> 63);
      x[i & 3] = y & 0xFFFFFFFFL;
    }
    long x0 = x[0];
    long x1 = x[1];
    long x2 = x[2];
    long x3 = x[3];
    for (; i > 0; i -= 4) {
      int k3 = (contexts[i] & 0xFF) * alphabet + (symbols[i] & 0xFF);
      x3 = put(x3, freq[k3], cum[k3], inverse[k3], out, p);
      p -= (int) (x3 >>> 63);
      x3 &= 0xFFFFFFFFL;
      int k2 = (contexts[i - 1] & 0xFF) * alphabet + (symbols[i - 1] & 0xFF);
      x2 = put(x2, freq[k2], cum[k2], inverse[k2], out, p);
      p -= (int) (x2 >>> 63);
      x2 &= 0xFFFFFFFFL;
      int k1 = (contexts[i - 2] & 0xFF) * alphabet + (symbols[i - 2] & 0xFF);
      x1 = put(x1, freq[k1], cum[k1], inverse[k1], out, p);
      p -= (int) (x1 >>> 63);
      x1 &= 0xFFFFFFFFL;
      int k0 = (contexts[i - 3] & 0xFF) * alphabet + (symbols[i - 3] & 0xFF);
      x0 = put(x0, freq[k0], cum[k0], inverse[k0], out, p);
      p -= (int) (x0 >>> 63);
      x0 &= 0xFFFFFFFFL;
    }
    for (long s : new long[] {x3, x2, x1, x0}) {
      out[--p] = (char) (s >>> 16);
      out[--p] = (char) s;
    }
    byte[] bytes = new byte[(out.length - p) * 2];
    for (int j = p, b = 0; j < out.length; j++, b += 2) {
      bytes[b] = (byte) out[j];
      bytes[b + 1] = (byte) (out[j] >>> 8);
    }
    return bytes;
  }

  /**
   * One encoding step. The renormalisation word is stored at {@code out[p - 1]} whether or not it is needed; the
   * result's bit 63 says whether it was (the caller then moves {@code p}), which keeps the unpredictable branch out.
   * {@code inverse} is {@code (1 + 2^-50) / f}: biased up just enough that the truncated product is the exact
   * quotient for every state below 2^32.
   */
  private static long put(long x, int f, int start, double inverse, char[] out, int p) {
    boolean emit = x >= ((long) f << (32 - SCALE_BITS));
    out[p - 1] = (char) x;
    x = emit ? x >>> 16 : x;
    long q = (long) (x * inverse);
    x = (q << SCALE_BITS) + (x - q * f) + start;
    return emit ? x | Long.MIN_VALUE : x;
  }

  /** Decodes symbols in the order they were given to {@link #encode}. */
  static final class Decoder {
    final byte[] buf;
    int pos;
    final int end;
    final byte[] slotToSymbol;
    final int[] freq;
    final int[] cum;
    final int alphabet;
    long x0;
    long x1;
    long x2;
    long x3;

    Decoder(ByteReader section, Tables t) {
      int len = section.remaining();
      if (len < 16 || (len & 1) != 0) {
        throw new CodecException("corrupt blob: entropy-coded stream of " + len + " bytes");
      }
      // Two bytes of padding let renormalisation read a word unconditionally and keep the branch out of the loop.
      this.buf = Arrays.copyOfRange(section.array(), section.position(), section.position() + len + 2);
      this.end = len;
      this.slotToSymbol = t.slotToSymbol;
      this.freq = t.freq;
      this.cum = t.cum;
      this.alphabet = t.alphabet;
      x0 = word(0) | (word(2) << 16);
      x1 = word(4) | (word(6) << 16);
      x2 = word(8) | (word(10) << 16);
      x3 = word(12) | (word(14) << 16);
      pos = 16;
    }

    long word(int p) {
      return (buf[p] & 0xFF) | ((buf[p + 1] & 0xFF) << 8);
    }

    int decode(int ctx) {
      long x = x0;
      int slot = (int) x & (M - 1);
      int s = slotToSymbol[(ctx << SCALE_BITS) | slot] & 0xFF;
      int k = ctx * alphabet + s;
      x = freq[k] * (x >>> SCALE_BITS) + slot - cum[k];
      int p = pos;
      long w = word(Math.min(p, end));
      boolean refill = x < L;
      x = refill ? (x << 16) | w : x;
      pos = refill ? p + 2 : p;
      x0 = x1;
      x1 = x2;
      x2 = x3;
      x3 = x;
      return s;
    }

    /** Checks that the stream was consumed exactly and both states returned to their start. */
    void finish() {
      if (pos != end || x0 != L || x1 != L || x2 != L || x3 != L) {
        throw new CodecException("corrupt blob: entropy-coded stream does not end cleanly");
      }
    }
  }
}
