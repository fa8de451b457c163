package network.subnet.miner.behavior;

import java.util.Arrays;
import java.util.SplittableRandom;
import network.subnet.node.labels.SoftLabels;

/** Plausible-looking soft labels: distinct random ids with descending log-probabilities that sum to at most 1. */
final class RandomLabels {

  private RandomLabels() {}

  static SoftLabels of(int positions, int topK, int vocab, SplittableRandom random) {
    int k = Math.min(topK, vocab);
    int[][] ids = new int[positions][k];
    float[][] logProbs = new float[positions][k];
    for (int p = 0; p < positions; p++) {
      int[] row = ids[p];
      int filled = 0;
      while (filled < k) {
        int id = random.nextInt(vocab);
        boolean seen = false;
        for (int j = 0; j < filled && !seen; j++) {
          seen = row[j] == id;
        }
        if (!seen) {
          row[filled++] = id;
        }
      }
      double[] weights = random.doubles(k, 0.01, 1).toArray();
      Arrays.sort(weights);
      double sum = Arrays.stream(weights).sum() * 1.25;
      for (int j = 0; j < k; j++) {
        logProbs[p][j] = (float) Math.log(weights[k - 1 - j] / sum);
      }
    }
    return new SoftLabels(ids, logProbs);
  }

  /** A seed that depends on every token, so equal inputs give equal labels. */
  static long seedOf(long seed, int[] tokens) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (int t : tokens) {
      h = (h ^ t) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    return h;
  }
}
