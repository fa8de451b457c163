package network.subnet.node.identity;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * Verifies many Ed25519 signatures (RFC 8032, pure Ed25519) at once with the standard random linear combination: for
 * signatures (R_i, S_i) of messages M_i by keys A_i, with k_i = SHA-512(R_i || A_i || M_i) and fresh random weights
 * z_i, the batch holds when
 *
 * <pre>
 *   [8] ( [sum z_i S_i mod L] B  -  sum [z_i] R_i  -  sum_A [sum_{i: A_i = A} z_i k_i mod L] A )  =  0
 * </pre>
 *
 * computed as one interleaved (Straus) multi-scalar multiplication: the base point in width-8 NAF from a table built
 * once, each distinct key once with its summed coefficient in width-5 NAF, which is why a batch of many results from
 * few miners costs little more than its R side, and each R_i added or subtracted, in affine form, at the 24 nonzero
 * digits of its sparse random weight ({@link SparseWeights}). A forged signature survives the random weights with
 * probability below 2^-131.
 *
 * <p>When the equation fails, every signature of the batch is checked again with Bouncy Castle's single verify
 * ({@link Ed25519#verify}), so exactly the bad ones come back false. Input the single verify would refuse outright
 * (a signature of the wrong length, S >= L, an R or key that does not decode as a point) never enters the equation: it
 * gets the single verify's answer directly. A failed batch costs the batch check on top of the single checks, so a
 * flood of bad signatures costs about 1.3x (two keys) to 1.6x (all keys distinct) of checking each alone.
 *
 * <p><b>Cofactored, as the single verify is.</b> The equation is multiplied by the cofactor 8, as a batch check must
 * be: without it the random weights would make the answer for a signature with a small-order component (in R or in the
 * key) depend on the coin. Bouncy Castle 1.82's single verify decides the same cofactored equation (its Straus loop
 * ends in three extra doublings; {@code Ed25519BatchTest} pins this with a key that carries a point of order 2), so the
 * two agree on every input, up to the 2^-131 chance above. RFC 8032 allows either form; a cofactorless verifier
 * ([S]B = R + [k]A exactly, as older Bouncy Castle releases compared encodings) would differ only on signatures whose R
 * or key carries a component of order 2, 4 or 8, which only the key's owner can make and which can only concern its
 * own results. Result signatures, which arrive many at a time, come here through {@link ResultSignatures}; every
 * other signature check in the node stays on {@link Ed25519#verify}.
 */
public final class Ed25519Batch {

  /** One signature to check: {@code signature} by {@code key} over {@code message}. */
  public record Item(PublicKey key, byte[] message, byte[] signature) {}

  static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  /** Digit width for the base point: its table of 64 odd multiples is built once. */
  private static final int BASE_WIDTH = 8;
  /** Digit width for the keys, whose 8-entry tables are built per batch. */
  private static final int WIDTH = 5;

  private static final byte[] BASE_ENCODED = new byte[32];
  private static final int[] BASE_TABLE;

  /** Keys whose decoded (negated) points are kept, as in {@link Ed25519#CACHED_KEYS}. */
  private static final int CACHED_KEYS = Ed25519.CACHED_KEYS;
  private static final ConcurrentHashMap<PublicKey, int[][]> KEY_POINTS = new ConcurrentHashMap<>();

  /** Shared: one draw per batch, and the callers are often short-lived virtual threads. */
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    // B's encoding: y = 4/5, x even.
    BASE_ENCODED[0] = 0x58;
    for (int i = 1; i < 32; i++) {
      BASE_ENCODED[i] = 0x66;
    }
    int[][] base = EdwardsPoints.decode(BASE_ENCODED, 0, false);
    BASE_TABLE = new int[(1 << (BASE_WIDTH - 2)) * EdwardsPoints.CACHED];
    EdwardsPoints.oddMultiples(base[0], base[1], 1 << (BASE_WIDTH - 2), BASE_TABLE, 0, new EdwardsPoints.Scratch());
  }

  private Ed25519Batch() {}

  /** For each item, whether its signature verifies: the answers of {@link Ed25519#verify}, one by one. */
  public static boolean[] verify(List<Item> items) {
    boolean[] ok = new boolean[items.size()];
    List<Prepared> batch = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Prepared p = items.size() > 1 ? Prepared.of(i, items.get(i)) : null;
      if (p == null) {
        Item item = items.get(i);
        ok[i] = Ed25519.verify(item.key(), item.message(), item.signature());
      } else {
        batch.add(p);
      }
    }
    if (batch.size() == 1) {
      Item item = items.get(batch.get(0).index);
      ok[batch.get(0).index] = Ed25519.verify(item.key(), item.message(), item.signature());
    } else if (batch.size() > 1) {
      boolean all = equationHolds(batch);
      for (Prepared p : batch) {
        Item item = items.get(p.index);
        ok[p.index] = all || Ed25519.verify(item.key(), item.message(), item.signature());
      }
    }
    return ok;
  }

  /**
   * Whether the batch equation alone holds for all of {@code items}, with no single-verify fallback; false as well
   * when any item cannot enter it (bad length, S >= L, a point that does not decode). For tests and measurements.
   */
  static boolean batchEquationHolds(List<Item> items) {
    List<Prepared> batch = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Prepared p = Prepared.of(i, items.get(i));
      if (p == null) {
        return false;
      }
      batch.add(p);
    }
    return batch.isEmpty() || equationHolds(batch);
  }

  /** A signature's parts, checked and decoded; R is negated, as it enters the sum subtracted. */
  private record Prepared(int index, PublicKey key, int[][] minusA, int[][] minusR, BigInteger s, BigInteger k) {

    /** Null when the single verify would refuse the item outright, or it cannot enter the equation. */
    static Prepared of(int index, Item item) {
      byte[] sig = item.signature();
      if (sig == null || sig.length != Ed25519.SIGNATURE_LENGTH || item.message() == null || item.key() == null) {
        return null;
      }
      BigInteger s = littleEndian(sig, 32, 32);
      if (s.compareTo(L) >= 0) {
        return null;
      }
      int[][] minusA = keyPoint(item.key());
      if (minusA == null) {
        return null;
      }
      int[][] minusR = EdwardsPoints.decode(sig, 0, true);
      if (minusR == null) {
        return null;
      }
      SHA512Digest sha = new SHA512Digest();
      sha.update(sig, 0, 32);
      byte[] a = item.key().bytes();
      sha.update(a, 0, a.length);
      sha.update(item.message(), 0, item.message().length);
      byte[] h = new byte[64];
      sha.doFinal(h, 0);
      return new Prepared(index, item.key(), minusA, minusR, s, littleEndian(h, 0, 64));
    }
  }

  private static boolean equationHolds(List<Prepared> batch) {
    int n = batch.size();
    SparseWeights weights = new SparseWeights(RANDOM, n);
    EdwardsPoints.Scratch scratch = new EdwardsPoints.Scratch();
    BigInteger baseScalar = BigInteger.ZERO;
    Map<PublicKey, Integer> keyIndex = new HashMap<>();
    List<int[][]> keyPoints = new ArrayList<>();
    List<BigInteger> keyScalars = new ArrayList<>();
    byte[][] weightDigits = new byte[n][];
    int[] rTable = new int[n * EdwardsPoints.AFFINE];
    for (int i = 0; i < n; i++) {
      Prepared p = batch.get(i);
      SparseWeights.Weight weight = weights.next();
      weightDigits[i] = weight.digits();
      BigInteger z = weight.value();
      baseScalar = baseScalar.add(z.multiply(p.s()));
      Integer j = keyIndex.get(p.key());
      if (j == null) {
        j = keyPoints.size();
        keyIndex.put(p.key(), j);
        keyPoints.add(p.minusA());
        keyScalars.add(BigInteger.ZERO);
      }
      keyScalars.set(j, keyScalars.get(j).add(z.multiply(p.k())));
      int[][] r = p.minusR();
      EdwardsPoints.affineCached(r[0], r[1], rTable, i * EdwardsPoints.AFFINE, scratch);
    }
    byte[] baseDigits = wnaf(baseScalar.mod(L), BASE_WIDTH);

    int entries = 1 << (WIDTH - 2);
    int keys = keyPoints.size();
    int[] keyTables = new int[keys * entries * EdwardsPoints.CACHED];
    byte[][] keyDigits = new byte[keys][];
    int top = Math.max(baseDigits.length, SparseWeights.POSITIONS) - 1;
    for (int j = 0; j < keys; j++) {
      int[][] a = keyPoints.get(j);
      EdwardsPoints.oddMultiples(a[0], a[1], entries, keyTables, j * entries * EdwardsPoints.CACHED, scratch);
      keyDigits[j] = wnaf(keyScalars.get(j).mod(L), WIDTH);
      top = Math.max(top, keyDigits[j].length - 1);
    }

    EdwardsPoints.Accumulator acc = new EdwardsPoints.Accumulator();
    acc.setNeutral();
    for (int bit = top; bit >= 0; bit--) {
      EdwardsPoints.dbl(acc, scratch);
      int d = bit < baseDigits.length ? baseDigits[bit] : 0;
      if (d != 0) {
        EdwardsPoints.add(acc, BASE_TABLE, ((Math.abs(d) - 1) >>> 1) * EdwardsPoints.CACHED, d < 0, scratch);
      }
      for (int j = 0; j < keys; j++) {
        byte[] ds = keyDigits[j];
        d = bit < ds.length ? ds[bit] : 0;
        if (d != 0) {
          int offset = (j * entries + ((Math.abs(d) - 1) >>> 1)) * EdwardsPoints.CACHED;
          EdwardsPoints.add(acc, keyTables, offset, d < 0, scratch);
        }
      }
      if (bit < SparseWeights.POSITIONS) {
        for (int i = 0; i < n; i++) {
          d = weightDigits[i][bit];
          if (d != 0) {
            EdwardsPoints.addAffine(acc, rTable, i * EdwardsPoints.AFFINE, d < 0, scratch);
          }
        }
      }
    }
    for (int i = 0; i < 3; i++) { // the cofactor
      EdwardsPoints.dbl(acc, scratch);
    }
    return EdwardsPoints.isNeutral(acc, scratch);
  }

  /**
   * The width-{@code width} NAF of a non-negative {@code k}: odd digits below 2^(width-1) in magnitude, any two nonzero
   * ones at least {@code width} positions apart, least significant first; sum digit[i] 2^i = k.
   */
  static byte[] wnaf(BigInteger k, int width) {
    int bits = k.bitLength();
    int[] words = new int[(bits + 31) / 32 + 1];
    byte[] be = k.toByteArray();
    for (int i = 0; i < be.length && i / 4 < words.length; i++) {
      words[i / 4] |= (be[be.length - 1 - i] & 0xFF) << (8 * (i % 4));
    }
    // A carry out of the top window lands up to width positions above the top bit.
    byte[] digits = new byte[bits + width + 1];
    int mask = (1 << width) - 1;
    int sign = 1 << (width - 1);
    int carry = 0;
    int last = 0;
    for (int i = 0; i < digits.length; ) {
      int window = window(words, i) & mask;
      if ((window & 1) == carry) {
        i++;
        continue;
      }
      int digit = window + carry;
      carry = (digit & sign) >>> (width - 1);
      digit -= carry << width;
      digits[i] = (byte) digit;
      last = i;
      i += width;
    }
    byte[] trimmed = new byte[last + 1];
    System.arraycopy(digits, 0, trimmed, 0, trimmed.length);
    return trimmed;
  }

  /** The 32 bits of {@code words} from bit {@code from} up (zeros past the end). */
  private static int window(int[] words, int from) {
    int w = from >>> 5;
    int shift = from & 31;
    long lo = w < words.length ? words[w] & 0xFFFFFFFFL : 0;
    long hi = w + 1 < words.length ? words[w + 1] & 0xFFFFFFFFL : 0;
    return (int) ((lo | (hi << 32)) >>> shift);
  }

  /** The key's point negated, decoded once; null when Bouncy Castle would not accept the key. */
  private static int[][] keyPoint(PublicKey key) {
    int[][] point = KEY_POINTS.get(key);
    if (point != null) {
      return point;
    }
    byte[] bytes = key.bytes();
    if (!org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartial(bytes, 0)) {
      return null;
    }
    point = EdwardsPoints.decode(bytes, 0, true);
    if (point != null) {
      if (KEY_POINTS.size() >= CACHED_KEYS) {
        KEY_POINTS.clear();
      }
      KEY_POINTS.put(key, point);
    }
    return point;
  }

  private static BigInteger littleEndian(byte[] bytes, int offset, int length) {
    byte[] be = new byte[length];
    for (int i = 0; i < length; i++) {
      be[i] = bytes[offset + length - 1 - i];
    }
    return new BigInteger(1, be);
  }
}
