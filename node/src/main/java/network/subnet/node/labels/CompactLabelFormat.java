package network.subnet.node.labels;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Body of {@link SoftLabelCodec#FORMAT_COMPACT}: a step byte and a vocabulary bound (int32 LE), then one adaptive
 * binary range-coded stream holding, per position and rank, the token id and the quantized log-prob.
 *
 * <p>Log-probs are rounded to a grid of 2^-9 nat (error at most 2^-10 < 1e-3 nat, and every grid value below 2^14 nat
 * is an exact float, so decoding adds no error). Values below {@link #FLOOR} nats (probabilities that underflow even in
 * float64) are clamped to it. Rank 0 codes {@code -q}; rank j codes the non-negative gap {@code q[j-1] - q[j]} as a
 * bit length and a mantissa. Gaps shrink roughly like 1/j down the ranks (order-statistic spacings) and scale with how
 * flat the position's distribution is, so from rank 2 on the length is modelled per (rank bucket, the gap predicted
 * from the span of ranks 0..j-1), and before that by the length of the number coded just before.
 *
 * <p>Token ids: from position 1 on, a flag says whether the id occurs in the previous position's list (real text keeps
 * many candidates from one position to the next); if so its index among the not yet matched entries of that list is
 * coded uniformly, otherwise the id itself through an adaptive bit tree over its top 16 bits (which learns the
 * vocabulary's frequencies as it goes) plus plain low bits. The vocabulary bound in the body header is the largest id
 * plus one, so the tree is no deeper than the ids need.
 */
final class CompactLabelFormat {

  static final int STEP_LOG2 = 9;
  static final float FLOOR = -16384f;
  private static final double STEPS_PER_NAT = 1 << STEP_LOG2;
  private static final int MAX_STEPS = 1 << 23;
  private static final int BODY_HEADER = 5;

  private static final int LEN_BITS = 5;
  private static final int MAX_LEN = 23;
  private static final int MANT_TREE_BITS = 3;
  private static final int RANK_BUCKETS = 22;
  private static final int SCALES = MAX_LEN + 2;
  private static final int SPAN_SCALES = 48;
  private static final int LEN_CONTEXTS = 2 * SCALES + (RANK_BUCKETS - 2) * SPAN_SCALES;
  private static final int HIT_CTX = 16;
  private static final int ID_TREE_MAX_BITS = 16;
  private static final int LEN_LIMIT = 255;
  private static final int MANT_LIMIT = 255;
  private static final int HIT_LIMIT = 255;
  private static final int ID_LIMIT = 1023;
  private static final int ID_PRIOR = 2;

  /** 2^16 / (j * H(j-1)): the expected gap at rank j per step of span over ranks 0..j-1, if gaps go like 1/j. */
  private static final long[] EXPECTED_GAP = new long[SoftLabelCodec.MAX_TOP_K + 1];

  static {
    double harmonic = 0;
    for (int j = 1; j < EXPECTED_GAP.length; j++) {
      EXPECTED_GAP[j] = harmonic == 0 ? 0 : Math.round(65536 / (j * harmonic));
      harmonic += 1.0 / j;
    }
  }

  private CompactLabelFormat() {}

  /**
   * The adaptive state shared in shape by encoder and decoder; both start from the same fresh models. Sets of models are
   * pooled and reset in place ({@link BitModels#reset()} is free), because building the tables afresh (over 32,000
   * length models and up to 65,536 id models) would cost far more than coding a small payload.
   */
  private static final class Models {
    final BitModels len = new BitModels(LEN_CONTEXTS << LEN_BITS, LEN_LIMIT);
    final BitModels mantissa = new BitModels((MAX_LEN + 1) << MANT_TREE_BITS, MANT_LIMIT);
    final BitModels hit = new BitModels(HIT_CTX * 2, HIT_LIMIT);
    final BitModels id = new BitModels(1, ID_LIMIT, ID_PRIOR);
    int idTreeBits;
    int idDirectBits;
    /** The previous position's ranks not yet matched by an id of this position, as a bit set. */
    final Unmatched unmatched = new Unmatched(SoftLabelCodec.MAX_TOP_K);

    /** Fresh models for a payload of top-{@code k} lists with ids below {@code vocabBound}. */
    Models prepare(int k, int vocabBound) {
      int idBits = bitsFor(vocabBound);
      idTreeBits = Math.min(idBits, ID_TREE_MAX_BITS);
      idDirectBits = idBits - idTreeBits;
      len.reset();
      mantissa.reset();
      hit.reset();
      id.reset(1 << idTreeBits);
      unmatched.setSize(k);
      return this;
    }
  }

  /** Enough spare model sets for every core to code at once; more callers than that allocate their own. */
  private static final int POOL_LIMIT = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private static final ConcurrentLinkedQueue<Models> POOL = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger POOLED = new AtomicInteger();

  private static Models borrow(int k, int vocabBound) {
    Models m = POOL.poll();
    if (m == null) {
      m = new Models();
    } else {
      POOLED.decrementAndGet();
    }
    return m.prepare(k, vocabBound);
  }

  private static void giveBack(Models m) {
    if (POOLED.incrementAndGet() <= POOL_LIMIT) {
      POOL.offer(m);
    } else {
      POOLED.decrementAndGet();
    }
  }

  /** Bits needed to write any value in [0, n). */
  private static int bitsFor(int n) {
    return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
  }

  private static int rankBucket(int rank) {
    if (rank < 8) {
      return rank;
    }
    int log = 31 - Integer.numberOfLeadingZeros(rank);
    return Math.min(RANK_BUCKETS - 1, 8 + 2 * (log - 3) + ((rank >>> (log - 1)) & 1));
  }

  /**
   * Models for the length of the number at {@code rank}: below rank 2 by the length of the number before (the previous
   * position's best, or this position's best), from rank 2 on by the gap the span so far predicts, in half octaves.
   */
  private static int lenBase(int rank, int scale, int span) {
    if (rank < 2) {
      return (rank * SCALES + scale) << LEN_BITS;
    }
    long expected = (span * EXPECTED_GAP[rank]) >>> 16;
    int log = 63 - Long.numberOfLeadingZeros(expected + 1);
    int halfOctaves = log == 0 ? 0 : 2 * log - 1 + (int) ((expected + 1) >>> (log - 1) & 1);
    int ctx = 2 * SCALES + (rankBucket(rank) - 2) * SPAN_SCALES + Math.min(SPAN_SCALES - 1, halfOctaves);
    return ctx << LEN_BITS;
  }

  static int quantize(float logProb) {
    return (int) Math.round(Math.max(logProb, FLOOR) * STEPS_PER_NAT);
  }

  static byte[] encode(int[][] ids, float[][] logProbs, int positions, int k, byte[] header) {
    int vocabBound = 0;
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < k; j++) {
        vocabBound = Math.max(vocabBound, ids[p][j] + 1);
      }
    }
    Models m = borrow(k, vocabBound);
    try {
      return encode(ids, logProbs, positions, k, header, vocabBound, m);
    } finally {
      giveBack(m);
    }
  }

  private static byte[] encode(
      int[][] ids, float[][] logProbs, int positions, int k, byte[] header, int vocabBound, Models m) {
    RangeEncoder rc = new RangeEncoder((int) Math.min(1 << 30, (long) positions * k * 3 + 64));
    IdIndex previous = new IdIndex(k);
    int previousTopScale = 0;
    for (int p = 0; p < positions; p++) {
      int[] row = ids[p];
      float[] lps = logProbs[p];
      int lastQ = 0;
      int firstQ = 0;
      int scale = previousTopScale;
      int lastHit = 0;
      int unmatched = p > 0 ? k : 0;
      m.unmatched.reset();
      for (int j = 0; j < k; j++) {
        int id = row[j];
        boolean coded = false;
        if (unmatched > 0) {
          int idx = previous.indexOf(id);
          if (idx >= 0 && !m.unmatched.contains(idx)) {
            idx = -1; // a repeated id within one row: its previous-row slot is taken, so code it in full
          }
          int hitCtx = (Math.min(rankBucket(j), HIT_CTX - 1) << 1) | lastHit;
          lastHit = idx >= 0 ? 1 : 0;
          rc.encodeBit(m.hit, hitCtx, lastHit);
          if (idx >= 0) {
            rc.encodeUniform(m.unmatched.countBelow(idx), unmatched);
            m.unmatched.remove(idx);
            unmatched--;
            coded = true;
          }
        }
        if (!coded) {
          rc.encodeTree(m.id, 0, m.idTreeBits, id >>> m.idDirectBits);
          rc.encodeDirect(id, m.idDirectBits);
        }
        int q = quantize(lps[j]);
        int value = j == 0 ? -q : lastQ - q;
        int span = j == 0 ? 0 : firstQ - lastQ;
        int len = encodeNumber(rc, m, lenBase(j, scale, span), value);
        lastQ = q;
        scale = len + 1;
        if (j == 0) {
          firstQ = q;
          previousTopScale = scale;
        }
      }
      previous.reset(row);
    }
    byte[] coded = rc.finish();
    byte[] out = Arrays.copyOf(header, header.length + BODY_HEADER + coded.length);
    out[header.length] = STEP_LOG2;
    putIntLe(out, header.length + 1, vocabBound);
    System.arraycopy(coded, 0, out, header.length + BODY_HEADER, coded.length);
    return out;
  }

  /** Codes {@code value >= 0} as the bit length of value+1 (modelled in {@code lenBase}) and its mantissa. */
  private static int encodeNumber(RangeEncoder rc, Models m, int lenBase, int value) {
    int v = value + 1;
    int len = 31 - Integer.numberOfLeadingZeros(v);
    rc.encodeTree(m.len, lenBase, LEN_BITS, len);
    int mantissa = v - (1 << len);
    int treeBits = Math.min(len, MANT_TREE_BITS);
    int directBits = len - treeBits;
    rc.encodeTree(m.mantissa, len << MANT_TREE_BITS, treeBits, mantissa >>> directBits);
    rc.encodeDirect(mantissa, directBits);
    return len;
  }

  private static int decodeNumber(RangeDecoder rc, Models m, int lenBase) {
    int len = rc.decodeTree(m.len, lenBase, LEN_BITS);
    if (len > MAX_LEN) {
      throw new IllegalArgumentException("soft label body is corrupt: number length " + len);
    }
    int treeBits = Math.min(len, MANT_TREE_BITS);
    int directBits = len - treeBits;
    int high = rc.decodeTree(m.mantissa, len << MANT_TREE_BITS, treeBits);
    int low = rc.decodeDirect(directBits);
    return ((1 << len) | (high << directBits) | low) - 1;
  }

  static SoftLabels decode(byte[] bytes, int offset, int positions, int k) {
    if (bytes.length - offset < BODY_HEADER) {
      throw new IllegalArgumentException("soft label body is truncated: no body header");
    }
    if (bytes[offset] != STEP_LOG2) {
      throw new IllegalArgumentException("soft label body has unsupported quantization step 2^-" + bytes[offset]);
    }
    int vocabBound = getIntLe(bytes, offset + 1);
    if (vocabBound < 0 || vocabBound > SoftLabelCodec.MAX_VOCAB) {
      throw new IllegalArgumentException(
          "soft label body declares vocabulary bound %d outside [0, %d]"
              .formatted(vocabBound, SoftLabelCodec.MAX_VOCAB));
    }
    if (positions > 0 && k > 0 && vocabBound == 0) {
      throw new IllegalArgumentException("soft label body declares no token ids but has entries");
    }
    Models m = borrow(k, vocabBound);
    try {
      return decode(bytes, offset, positions, k, vocabBound, m);
    } finally {
      giveBack(m);
    }
  }

  private static SoftLabels decode(byte[] bytes, int offset, int positions, int k, int vocabBound, Models m) {
    RangeDecoder rc = new RangeDecoder(bytes, offset + BODY_HEADER, bytes.length);
    // Rows are allocated as they decode, so a small forged blob cannot make us allocate its declared size up front.
    int[][] ids = new int[positions][];
    float[][] logProbs = new float[positions][];
    int previousTopScale = 0;
    for (int p = 0; p < positions; p++) {
      int[] row = new int[k];
      float[] lps = new float[k];
      int[] prevRow = p > 0 ? ids[p - 1] : null;
      int lastQ = 0;
      int firstQ = 0;
      int scale = previousTopScale;
      int lastHit = 0;
      int unmatched = p > 0 ? k : 0;
      m.unmatched.reset();
      for (int j = 0; j < k; j++) {
        int id = -1;
        if (unmatched > 0) {
          int hitCtx = (Math.min(rankBucket(j), HIT_CTX - 1) << 1) | lastHit;
          lastHit = rc.decodeBit(m.hit, hitCtx);
          if (lastHit != 0) {
            int idx = m.unmatched.nth(rc.decodeUniform(unmatched));
            m.unmatched.remove(idx);
            unmatched--;
            id = prevRow[idx];
          }
        }
        if (id < 0) {
          id = (rc.decodeTree(m.id, 0, m.idTreeBits) << m.idDirectBits) | rc.decodeDirect(m.idDirectBits);
          if (id >= vocabBound) {
            throw new IllegalArgumentException(
                "soft label body is corrupt: position %d rank %d has token id %d >= bound %d"
                    .formatted(p, j, id, vocabBound));
          }
        }
        row[j] = id;
        int value = decodeNumber(rc, m, lenBase(j, scale, firstQ - lastQ));
        int q = j == 0 ? -value : lastQ - value;
        if (q < -MAX_STEPS) {
          throw new IllegalArgumentException(
              "soft label body is corrupt: position %d rank %d log-prob below the floor".formatted(p, j));
        }
        lps[j] = (float) (q / STEPS_PER_NAT);
        lastQ = q;
        scale = 32 - Integer.numberOfLeadingZeros(value + 1);
        if (j == 0) {
          firstQ = q;
          previousTopScale = scale;
        }
      }
      ids[p] = row;
      logProbs[p] = lps;
    }
    rc.requireFullyConsumed();
    return new SoftLabels(ids, logProbs);
  }

  private static void putIntLe(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  private static int getIntLe(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }

  /** A set of ranks in [0, k) with rank-order queries, for coding an index among the ranks still unmatched. */
  private static final class Unmatched {
    private final long[] words;
    private int k;
    private int used;

    Unmatched(int maxK) {
      words = new long[(maxK + 63) >>> 6];
    }

    /** Makes this a set over [0, k), for {@code k} up to the maximum it was built for. */
    void setSize(int k) {
      this.k = k;
      used = (k + 63) >>> 6;
    }

    void reset() {
      // Runs once per position, mostly over a single word: a plain loop beats Arrays.fill's range checks here.
      for (int i = 0; i < used; i++) {
        words[i] = -1L;
      }
      if ((k & 63) != 0) {
        words[used - 1] = (1L << k) - 1;
      }
    }

    boolean contains(int rank) {
      return (words[rank >>> 6] & (1L << rank)) != 0;
    }

    void remove(int rank) {
      words[rank >>> 6] &= ~(1L << rank);
    }

    /** How many members are below {@code rank}. */
    int countBelow(int rank) {
      int count = 0;
      int w = rank >>> 6;
      for (int i = 0; i < w; i++) {
        count += Long.bitCount(words[i]);
      }
      return count + Long.bitCount(words[w] & ((1L << rank) - 1));
    }

    /** The member with {@code n} members below it; the caller guarantees n < size. */
    int nth(int n) {
      for (int i = 0; ; i++) {
        long word = words[i];
        int count = Long.bitCount(word);
        if (n < count) {
          for (; n > 0; n--) {
            word &= word - 1;
          }
          return (i << 6) + Long.numberOfTrailingZeros(word);
        }
        n -= count;
      }
    }
  }

  /** First index of each id in one row, by open addressing; rebuilt per position. */
  private static final class IdIndex {
    private final int[] keys;
    private final int[] values;
    private final int mask;

    IdIndex(int k) {
      int size = Integer.highestOneBit(Math.max(4, k) * 2) << 1;
      keys = new int[size];
      values = new int[size];
      mask = size - 1;
      Arrays.fill(keys, -1);
    }

    void reset(int[] row) {
      Arrays.fill(keys, -1);
      for (int i = 0; i < row.length; i++) {
        int slot = slot(row[i]);
        while (keys[slot] != -1 && keys[slot] != row[i]) {
          slot = (slot + 1) & mask;
        }
        if (keys[slot] == -1) {
          keys[slot] = row[i];
          values[slot] = i;
        }
      }
    }

    int indexOf(int id) {
      int slot = slot(id);
      while (keys[slot] != -1) {
        if (keys[slot] == id) {
          return values[slot];
        }
        slot = (slot + 1) & mask;
      }
      return -1;
    }

    private int slot(int id) {
      return (id * 0x9E3779B9) >>> 16 & mask;
    }
  }
}
