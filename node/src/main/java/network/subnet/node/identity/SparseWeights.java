package network.subnet.node.identity;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Random weights for the batch equation of {@link Ed25519Batch}: each a width-2 non-adjacent form (NAF) with exactly
 * {@value #DIGITS} nonzero digits, each +1 or -1, below bit {@value #POSITIONS}, drawn uniformly from all such forms.
 *
 * <p><b>Why this is as sound as a uniform 128-bit weight.</b> The batch check's error bound needs only that each
 * weight is drawn independently and uniformly from a set of integers that are pairwise distinct modulo the group order
 * L: for a bad signature, the equation is linear in its weight, with at most one root modulo L, so it survives with
 * probability at most one over the set's size. A NAF is the unique signed-binary form of its value with no two
 * adjacent nonzero digits, so distinct forms are distinct integers; each lies strictly between -2^251 and 2^251, so
 * any two differ by less than 2^252 < L and are distinct modulo L too. There are C(252 - 24, 24) x 2^24, about
 * 2^131.1, such forms ({@link #logCount()}), so a forged signature survives with probability below 2^-131.
 *
 * <p><b>Why sparse.</b> The batch already doubles about 253 times for the base point's and the keys' full-size
 * scalars, so a weight's length is free and only its nonzero digits cost: 24 additions of R itself, in affine form,
 * against about 22 additions of a table of multiples that takes 8 more point operations per signature to build, as a
 * uniform 128-bit weight in width-5 NAF needs.
 */
final class SparseWeights {

  /** Nonzero digits per weight. */
  static final int DIGITS = 24;
  /** Digit positions 0 .. POSITIONS - 1. */
  static final int POSITIONS = 251;

  /**
   * A NAF with DIGITS nonzero digits in POSITIONS places is DIGITS chosen places of POSITIONS - DIGITS + 1 slots, the
   * k-th chosen slot moved up by k to keep a zero after each nonzero digit.
   */
  private static final int SLOTS = POSITIONS - DIGITS + 1;

  private final SecureRandom random;
  private final byte[] pool;
  private int next;

  /** Draws from {@code random}, a buffer at a time, enough for {@code weights} weights without a refill mostly. */
  SparseWeights(SecureRandom random, int weights) {
    this.random = random;
    // One byte per place chosen, one sign byte per 8 digits, and room for the rare rejected byte.
    this.pool = new byte[Math.max(64, weights * (DIGITS + DIGITS / 8 + 4))];
    this.next = pool.length;
  }

  /** One weight: its digits (each -1, 0 or 1, least significant first, nonzero ones never adjacent) and its value. */
  record Weight(byte[] digits, BigInteger value) {}

  /** A fresh weight. */
  Weight next() {
    // Floyd's algorithm: a uniform DIGITS-subset of the slots.
    long[] chosen = new long[(SLOTS + 63) >>> 6];
    for (int j = SLOTS - DIGITS; j < SLOTS; j++) {
      int t = uniformUpTo(j);
      int pick = isSet(chosen, t) ? j : t;
      chosen[pick >>> 6] |= 1L << pick;
    }
    byte[] digits = new byte[POSITIONS];
    long[] plus = new long[(POSITIONS + 63) >>> 6];
    long[] minus = new long[plus.length];
    int signs = 0;
    int k = 0;
    for (int w = 0; w < chosen.length; w++) {
      for (long bits = chosen[w]; bits != 0; bits &= bits - 1) {
        if ((k & 7) == 0) {
          signs = nextByte();
        }
        int position = (w << 6) + Long.numberOfTrailingZeros(bits) + k;
        boolean negative = ((signs >>> (k & 7)) & 1) != 0;
        digits[position] = (byte) (negative ? -1 : 1);
        (negative ? minus : plus)[position >>> 6] |= 1L << position;
        k++;
      }
    }
    return new Weight(digits, unsigned(plus).subtract(unsigned(minus)));
  }

  private static BigInteger unsigned(long[] words) {
    byte[] bigEndian = new byte[8 * words.length];
    for (int i = 0; i < words.length; i++) {
      for (int b = 0; b < 8; b++) {
        bigEndian[bigEndian.length - 1 - 8 * i - b] = (byte) (words[i] >>> (8 * b));
      }
    }
    return new BigInteger(1, bigEndian);
  }

  /** log2 of the number of distinct weights this draws from. */
  static double logCount() {
    return Math.log(binomial(SLOTS, DIGITS).shiftLeft(DIGITS).doubleValue()) / Math.log(2);
  }

  private static BigInteger binomial(int n, int k) {
    BigInteger r = BigInteger.ONE;
    for (int i = 0; i < k; i++) {
      r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
    }
    return r;
  }

  private static boolean isSet(long[] set, int i) {
    return (set[i >>> 6] & (1L << i)) != 0;
  }

  /** Uniform in [0, j], by rejecting the bytes past the largest multiple of j + 1 (j < 256). */
  private int uniformUpTo(int j) {
    int range = j + 1;
    int limit = 256 - 256 % range;
    while (true) {
      int b = nextByte();
      if (b < limit) {
        return b % range;
      }
    }
  }

  private int nextByte() {
    if (next == pool.length) {
      random.nextBytes(pool);
      next = 0;
    }
    return pool[next++] & 0xFF;
  }
}
