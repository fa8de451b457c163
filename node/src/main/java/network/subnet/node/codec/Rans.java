package network.subnet.node.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Static multi-context rANS (after ryg_rans): 32-bit states, 16-bit renormalisation, 12-bit probabilities, four
 * interleaved states so consecutive symbols do not wait on each other. Symbols and contexts are bytes; each context has
 * its own frequency table, sent in the blob. The encoder divides by a frequency with an integer reciprocal (a multiply
 * and two shifts) and the decoder finds symbol, frequency and offset in one packed table lookup per symbol, so neither
 * side divides. A forged stream can only decode to wrong symbols (every table lookup stays in range), and {@link
 * Decoder#finish()} catches streams that do not end where the encoder started.
 */
final class Rans {

  static final int SCALE_BITS = 12;
  static final int M = 1 << SCALE_BITS;
  static final long L = 1L << 16;

  static final VarHandle CHAR_LE = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);

  private Rans() {}

  /** Normalised frequency tables, one row of {@code alphabet} entries per context. */
  static final class Tables {
    final int contexts;
    final int alphabet;
    final int[] freq;
    final int[] cum;
    /** Per (context, symbol), the two encoder longs of {@link #encoderSymbol}. */
    final long[] enc;
    /** Per (context, slot): {@code symbol << 24 | (freq - 1) << 12 | (slot - cum)}, all the decoder needs. */
    final int[] dec;
    private final int[] used;

    private Tables(int contexts, int alphabet) {
      if (contexts < 1 || contexts > 256 || alphabet < 1 || alphabet > 256) {
        throw new IllegalArgumentException("rANS supports 1..256 contexts and symbols");
      }
      this.contexts = contexts;
      this.alphabet = alphabet;
      this.freq = new int[contexts * alphabet];
      this.cum = new int[contexts * alphabet];
      this.enc = new long[2 * contexts * alphabet];
      this.dec = new int[contexts * M];
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
          int k = base + s;
          if (f > 0) {
            long[] e = encoderSymbol(f, run);
            enc[2 * k] = e[0];
            enc[2 * k + 1] = e[1];
          }
          for (int j = 0; j < f; j++) {
            dec[c * M + run + j] = s << 24 | (f - 1) << 12 | j;
          }
          run += f;
        }
      }
    }

    /** The largest symbol any context's table can decode to. */
    int maxSymbol() {
      int max = 0;
      for (int c = 0; c < contexts; c++) {
        max = Math.max(max, used[c] - 1);
      }
      return max;
    }

    boolean isEmpty(int ctx) {
      return used[ctx] == 0;
    }

    /**
     * The encoder's two longs for a frequency starting at {@code start}: a reciprocal {@code R = ceil(2^45 / f)}, then
     * {@code start | (M - f) << 16 | f << 32}. With them {@code C(x) = x + start + q * (M - f)} (ryg_rans's form of
     * {@code (x / f) * M + x % f + start}), where {@code q = floor(x / f)} is the high word of {@code (x << 31) * R}
     * shifted right by 12: the product's error stays below {@code 2^-13}, under the {@code 1 / f} that would change
     * the quotient, for every state below 2^32.
     */
    static long[] encoderSymbol(int f, int start) {
      long rcp = ((1L << 45) + f - 1) / f;
      return new long[] {rcp, start | (long) (M - f) << 16 | (long) f << 32};
    }

    /** The quotient {@code floor(x / f)} for a state below 2^32, from the reciprocal of {@link #encoderSymbol}. */
    static long quotient(long x, long rcp) {
      return Math.multiplyHigh(x << 31, rcp) >>> 12;
    }

    /** The next state after encoding a symbol whose encoder longs are {@code a, b}, for {@code x} already renormalised. */
    static long put(long x, long a, long b) {
      return x + (b & 0xFFFF) + quotient(x, a) * ((b >>> 16) & 0xFFFF);
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

    /**
     * The encoder longs re-indexed by fine context: entry {@code (fine << 8 | symbol)} holds the longs of {@code
     * (map[fine], symbol)}, so a coder keyed by fine context needs no remapping pass.
     */
    long[] byFineContext(int[] map) {
      long[] out = new long[2 * map.length * 256];
      for (int f = 0; f < map.length; f++) {
        System.arraycopy(enc, 2 * map[f] * alphabet, out, 2 * (f << 8), 2 * alphabet);
      }
      return out;
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
    short[] keys = new short[n];
    for (int i = 0; i < n; i++) {
      keys[i] = (short) ((contexts[i] & 0xFF) << 8 | (symbols[i] & 0xFF));
    }
    int[] identity = new int[t.contexts];
    for (int c = 0; c < identity.length; c++) {
      identity[c] = c;
    }
    return encode(keys, n, t.byFineContext(identity));
  }

  /**
   * Encodes the symbols {@code keys[i] & 0xFF} under the contexts {@code keys[i] >>> 8} for i in [0, n), with encoder
   * longs indexed by key as {@link Tables#byFineContext} lays them out.
   */
  static byte[] encode(short[] keys, int n, long[] enc) {
    // Worst case two bytes per symbol plus the final states; written backwards, as rANS decodes in reverse.
    byte[] out = new byte[2 * n + 32];
    int p = out.length;
    long x0 = L;
    long x1 = L;
    long x2 = L;
    long x3 = L;
    int i = n - 1;
    // Symbol i goes to state i % 4, the order the decoder rotates through them; the tail that does not fill a group
    // of four comes first.
    for (; i >= 0 && (i & 3) != 3; i--) {
      int k = 2 * (keys[i] & 0xFFFF);
      long a = enc[k];
      long b = enc[k + 1];
      long x = switch (i & 3) {
        case 0 -> x0;
        case 1 -> x1;
        default -> x2;
      };
      long emit = ((b >>> 32) - 1 - (x >>> 20)) >> 63;
      CHAR_LE.set(out, p - 2, (char) x);
      p += (int) emit << 1;
      x = Tables.put(x >>> (emit & 16), a, b);
      switch (i & 3) {
        case 0 -> x0 = x;
        case 1 -> x1 = x;
        default -> x2 = x;
      }
    }
    // Renormalisation is arithmetic on a mask (all ones when the state must emit a word): written as a conditional,
    // it compiles to a branch that the predictor misses about half the time, which doubles the cost of a symbol.
    for (; i > 0; i -= 4) {
      int k3 = 2 * (keys[i] & 0xFFFF);
      int k2 = 2 * (keys[i - 1] & 0xFFFF);
      int k1 = 2 * (keys[i - 2] & 0xFFFF);
      int k0 = 2 * (keys[i - 3] & 0xFFFF);
      long b3 = enc[k3 + 1];
      long m3 = ((b3 >>> 32) - 1 - (x3 >>> 20)) >> 63;
      CHAR_LE.set(out, p - 2, (char) x3);
      p += (int) m3 << 1;
      x3 = Tables.put(x3 >>> (m3 & 16), enc[k3], b3);
      long b2 = enc[k2 + 1];
      long m2 = ((b2 >>> 32) - 1 - (x2 >>> 20)) >> 63;
      CHAR_LE.set(out, p - 2, (char) x2);
      p += (int) m2 << 1;
      x2 = Tables.put(x2 >>> (m2 & 16), enc[k2], b2);
      long b1 = enc[k1 + 1];
      long m1 = ((b1 >>> 32) - 1 - (x1 >>> 20)) >> 63;
      CHAR_LE.set(out, p - 2, (char) x1);
      p += (int) m1 << 1;
      x1 = Tables.put(x1 >>> (m1 & 16), enc[k1], b1);
      long b0 = enc[k0 + 1];
      long m0 = ((b0 >>> 32) - 1 - (x0 >>> 20)) >> 63;
      CHAR_LE.set(out, p - 2, (char) x0);
      p += (int) m0 << 1;
      x0 = Tables.put(x0 >>> (m0 & 16), enc[k0], b0);
    }
    for (long s : new long[] {x3, x2, x1, x0}) {
      p -= 2;
      CHAR_LE.set(out, p, (char) (s >>> 16));
      p -= 2;
      CHAR_LE.set(out, p, (char) s);
    }
    return Arrays.copyOfRange(out, p, out.length);
  }

  /** Decodes symbols in the order they were given to {@link #encode}. */
  static final class Decoder {
    final byte[] buf;
    int pos;
    final int end;
    final int[] dec;
    /** The largest symbol the tables can decode to, whatever the stream holds. */
    final int maxSymbol;
    long x0;
    long x1;
    long x2;
    long x3;

    Decoder(ByteReader section, Tables t) {
      this(section, t, 2);
    }

    /** A decoder whose copy of the stream has {@code padding} (at least 2) zero bytes after it. */
    Decoder(ByteReader section, Tables t, int padding) {
      int len = section.remaining();
      if (len < 16 || (len & 1) != 0) {
        throw new CodecException("corrupt blob: entropy-coded stream of " + len + " bytes");
      }
      // Padding lets renormalisation read a word unconditionally and keep the branch out of the loop.
      this.buf = Arrays.copyOfRange(section.array(), section.position(), section.position() + len + padding);
      this.end = len;
      this.dec = t.dec;
      this.maxSymbol = t.maxSymbol();
      x0 = word(0) | (word(2) << 16);
      x1 = word(4) | (word(6) << 16);
      x2 = word(8) | (word(10) << 16);
      x3 = word(12) | (word(14) << 16);
      pos = 16;
    }

    long word(int p) {
      return (char) CHAR_LE.get(buf, p);
    }

    int decode(int ctx) {
      long x = x0;
      int e = dec[(ctx << SCALE_BITS) | ((int) x & (M - 1))];
      x = (((e >>> 12) & (M - 1)) + 1) * (x >>> SCALE_BITS) + (e & (M - 1));
      // All ones if x < L: renormalisation as arithmetic, for the reason given in encode.
      long refill = (x - L) >> 63;
      long w = word(Math.min(pos, end));
      x = (x << (refill & 16)) | (w & refill);
      pos += (int) refill & 2;
      x0 = x1;
      x1 = x2;
      x2 = x3;
      x3 = x;
      return e >>> 24;
    }

    /** Checks that the stream was consumed exactly and every state returned to its start. */
    void finish() {
      if (pos != end || x0 != L || x1 != L || x2 != L || x3 != L) {
        throw new CodecException("corrupt blob: entropy-coded stream does not end cleanly");
      }
    }
  }
}
