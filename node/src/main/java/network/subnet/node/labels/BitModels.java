package network.subnet.node.labels;

import java.util.Arrays;

/**
 * A family of adaptive binary models for the range coder. Each int holds a 16-bit probability that the next bit is 0
 * and a count of the bits seen; the step toward each new bit is 1/(count+2) until the count reaches {@code limit}, so
 * a model learns like a frequency count at first and then keeps adapting at a fixed rate. Probabilities stay within
 * [{@link #P_MIN}, 2^16 - {@link #P_MIN}], which bounds the cost of a surprise and keeps every decision worth a little.
 *
 * <p>A family can be reused for many payloads: {@link #reset()} costs nothing per model. The top bits of each state
 * stamp the generation it was last written in, and a state from an older generation reads as fresh ({@link #load}), so
 * a small payload only pays for the models it touches, not for the whole table (up to 2^16 models). Every
 * {@link #GENERATIONS} resets the stamps wrap and the table is refilled once.
 */
final class BitModels {

  static final int PROB_BITS = 16;
  static final int P_MIN = 64;
  private static final int P_MAX = (1 << PROB_BITS) - P_MIN;
  private static final int PROB_MASK = (1 << PROB_BITS) - 1;
  private static final int COUNT_BITS = 10;
  private static final int COUNT_MASK = (1 << COUNT_BITS) - 1;
  private static final int GEN_SHIFT = PROB_BITS + COUNT_BITS;
  static final int GENERATIONS = 1 << (32 - GEN_SHIFT);
  private static final int GEN_MASK = -1 << GEN_SHIFT;
  private static final int[] RATE = new int[COUNT_MASK + 1];

  static {
    for (int n = 0; n <= COUNT_MASK; n++) {
      RATE[n] = (int) ((1L << 16) / (n + 2));
    }
  }

  int[] state;
  final int limit;
  private final int fresh;
  /** The current generation, in place in the state's top bits. */
  private int stamp;

  BitModels(int count, int limit) {
    this(count, limit, 0);
  }

  /** {@code prior} counts as bits already seen, so the first updates move less (for models that see few bits). */
  BitModels(int count, int limit, int prior) {
    if (limit < 1 || limit > COUNT_MASK || prior < 0 || prior > limit) {
      throw new IllegalArgumentException("model limit %d / prior %d out of range".formatted(limit, prior));
    }
    this.limit = limit;
    fresh = (1 << (PROB_BITS - 1)) << COUNT_BITS | prior;
    state = new int[count];
    Arrays.fill(state, fresh);
  }

  /** Makes every model fresh again. */
  void reset() {
    stamp += 1 << GEN_SHIFT;
    if (stamp == 0) {
      Arrays.fill(state, fresh);
    }
  }

  /** Makes every model fresh and the family at least {@code count} models large. */
  void reset(int count) {
    if (state.length < count) {
      state = new int[count];
      stamp = 0;
      Arrays.fill(state, fresh);
    } else {
      reset();
    }
  }

  /** The state of model {@code index}, fresh if it was last written before the latest {@link #reset()}. */
  int load(int index) {
    int s = state[index];
    return (s & GEN_MASK) == stamp ? s : stamp | fresh;
  }

  /** Probability (of 2^16) that the next bit is 0, from a model's state. */
  static int p0OfState(int s) {
    return (s >>> COUNT_BITS) & PROB_MASK;
  }

  /** A model's state after it saw {@code bit}; keeps the state's generation. */
  static int next(int s, int bit, int limit) {
    // Branch-free: the bit is unpredictable by construction. |target - p| * rate stays below 2^31 as p >= P_MIN.
    int p = (s >>> COUNT_BITS) & PROB_MASK;
    int n = s & COUNT_MASK;
    int target = (bit - 1) & (1 << PROB_BITS);
    p += ((target - p) * RATE[n]) >> 16;
    p = Math.min(P_MAX, Math.max(P_MIN, p));
    return (s & GEN_MASK) | p << COUNT_BITS | (n + ((n - limit) >>> 31));
  }
}
