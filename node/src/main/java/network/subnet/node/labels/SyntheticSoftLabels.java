package network.subnet.node.labels;

import java.util.SplittableRandom;

/**
 * Seeded synthetic soft labels for benchmarks and tests, shaped like a language model's top-k output.
 *
 * <p>Log-probs: the top-k of a softmax over Gumbel-tailed logits, drawn directly as order statistics (the gap between
 * ranks j and j+1 is {@code beta * Exp(1) / j}), with {@code beta} per position chosen so the top-64 spans about 5-12
 * nats, and the top-1 probability drawn in [0.3, 0.6] (lowered if the top-k mass would exceed 1).
 *
 * <p>Token ids ({@link #realistic}): each position keeps a random 30-50% of the previous position's candidates and
 * fills the rest with distinct draws from a Zipf(1) distribution over the vocabulary; ranks are assigned to candidates
 * at random. {@code frequencyOrderedIds} maps the i-th most frequent token to id i (as BPE vocabularies roughly do);
 * otherwise the frequency order is a random permutation of the ids, which no coder can exploit up front.
 */
public final class SyntheticSoftLabels {

  private SyntheticSoftLabels() {}

  /** Zipf-distributed, position-correlated candidates (see class docs). */
  public static SoftLabels realistic(int positions, int k, int vocab, boolean frequencyOrderedIds, long seed) {
    checkArgs(k, vocab);
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] idOfRank = new int[vocab];
    for (int i = 0; i < vocab; i++) {
      idOfRank[i] = i;
    }
    if (!frequencyOrderedIds) {
      shuffle(idOfRank, vocab, rnd);
    }
    double[] cdf = new double[vocab];
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      sum += 1.0 / (i + 1);
      cdf[i] = sum;
    }
    int[][] ids = new int[positions][];
    float[][] logProbs = new float[positions][];
    Marks used = new Marks(vocab);
    for (int p = 0; p < positions; p++) {
      int[] row = new int[k];
      used.clear();
      int filled = 0;
      if (p > 0) {
        int[] prev = ids[p - 1].clone();
        shuffle(prev, k, rnd);
        int keep = (int) Math.round(k * (0.3 + 0.2 * rnd.nextDouble()));
        for (int i = 0; i < keep; i++) {
          row[filled++] = prev[i];
          used.mark(prev[i]);
        }
      }
      while (filled < k) {
        int id = idOfRank[zipfRank(cdf, sum * rnd.nextDouble())];
        if (used.mark(id)) {
          row[filled++] = id;
        }
      }
      shuffle(row, k, rnd);
      ids[p] = row;
      logProbs[p] = logProbs(k, rnd);
    }
    return new SoftLabels(ids, logProbs);
  }

  /** Distinct uniformly random ids at every position, no sharing: the worst case for id coding. */
  public static SoftLabels uniformIds(int positions, int k, int vocab, long seed) {
    checkArgs(k, vocab);
    SplittableRandom rnd = new SplittableRandom(seed);
    int[][] ids = new int[positions][];
    float[][] logProbs = new float[positions][];
    Marks used = new Marks(vocab);
    for (int p = 0; p < positions; p++) {
      int[] row = new int[k];
      used.clear();
      for (int filled = 0; filled < k; ) {
        int id = rnd.nextInt(vocab);
        if (used.mark(id)) {
          row[filled++] = id;
        }
      }
      ids[p] = row;
      logProbs[p] = logProbs(k, rnd);
    }
    return new SoftLabels(ids, logProbs);
  }

  private static void checkArgs(int k, int vocab) {
    if (k < 0 || vocab < 1 || k > vocab / 2) {
      throw new IllegalArgumentException("need 0 <= k <= vocab / 2, got k %d, vocab %d".formatted(k, vocab));
    }
  }

  private static float[] logProbs(int k, SplittableRandom rnd) {
    double beta = (5.0 + 7.0 * rnd.nextDouble()) / harmonic(63);
    double[] rel = new double[k];
    double mass = 0;
    for (int j = 0; j < k; j++) {
      if (j > 0) {
        rel[j] = rel[j - 1] - beta * -Math.log(1.0 - rnd.nextDouble()) / j;
      }
      mass += Math.exp(rel[j]);
    }
    double top = Math.min(Math.log(0.3 + 0.3 * rnd.nextDouble()), -Math.log(mass / 0.98));
    float[] out = new float[k];
    for (int j = 0; j < k; j++) {
      out[j] = (float) Math.min(0.0, top + rel[j]);
    }
    for (int j = 1; j < k; j++) {
      out[j] = Math.min(out[j], out[j - 1]);
    }
    return out;
  }

  private static double harmonic(int n) {
    double h = 0;
    for (int i = 1; i <= n; i++) {
      h += 1.0 / i;
    }
    return h;
  }

  private static int zipfRank(double[] cdf, double u) {
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void shuffle(int[] a, int n, SplittableRandom rnd) {
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A set over [0, vocab) cleared in O(1) by bumping a generation stamp. */
  private static final class Marks {
    private final int[] stamp;
    private int generation;

    Marks(int vocab) {
      stamp = new int[vocab];
    }

    void clear() {
      generation++;
    }

    /** Marks {@code id}; false if it was already marked since the last clear. */
    boolean mark(int id) {
      if (stamp[id] == generation) {
        return false;
      }
      stamp[id] = generation;
      return true;
    }
  }
}
