package network.subnet.node.codec;

/**
 * Chooses how many of a model's fine contexts are worth their frequency tables: adjacent contexts are merged greedily
 * while the estimated bits saved on tables exceed the bits lost on entropy. Small or structureless tensors end up with
 * one table; tensors with outlier channels or zero runs keep several.
 */
final class ContextMerger {

  private ContextMerger() {}

  /** A fine-to-coarse map and the coarse contexts' counts. */
  record Merged(int[] map, int contexts, long[] counts) {}

  static Merged merge(long[] fineCounts, int fine, int alphabet) {
    // Groups as [start, end) runs of fine contexts; empty fine contexts join their neighbour for free.
    int[] start = new int[fine];
    int[] end = new int[fine];
    long[][] counts = new long[fine][];
    double[] cost = new double[fine];
    int groups = 0;
    for (int c = 0; c < fine; c++) {
      long[] row = new long[alphabet];
      System.arraycopy(fineCounts, c * alphabet, row, 0, alphabet);
      start[groups] = c;
      end[groups] = c + 1;
      counts[groups] = row;
      cost[groups] = cost(row);
      groups++;
    }
    // The cost of merging each adjacent pair, kept across merges: a merge changes only its two neighbours' pairs.
    long[][] pairRow = new long[fine][];
    double[] pairCost = new double[fine];
    for (int g = 0; g + 1 < groups; g++) {
      pair(counts, cost, g, alphabet, pairRow, pairCost);
    }
    while (groups > 1) {
      int best = -1;
      double bestGain = 0;
      for (int g = 0; g + 1 < groups; g++) {
        double gain = cost[g] + cost[g + 1] - pairCost[g];
        if (gain >= bestGain) {
          best = g;
          bestGain = gain;
        }
      }
      if (best < 0) {
        break;
      }
      counts[best] = pairRow[best];
      cost[best] = pairCost[best];
      end[best] = end[best + 1];
      for (int g = best + 1; g + 1 < groups; g++) {
        start[g] = start[g + 1];
        end[g] = end[g + 1];
        counts[g] = counts[g + 1];
        cost[g] = cost[g + 1];
        pairRow[g] = pairRow[g + 1];
        pairCost[g] = pairCost[g + 1];
      }
      groups--;
      if (best > 0) {
        pair(counts, cost, best - 1, alphabet, pairRow, pairCost);
      }
      if (best + 1 < groups) {
        pair(counts, cost, best, alphabet, pairRow, pairCost);
      }
    }
    int[] map = new int[fine];
    long[] out = new long[groups * alphabet];
    for (int g = 0; g < groups; g++) {
      for (int c = start[g]; c < end[g]; c++) {
        map[c] = g;
      }
      System.arraycopy(counts[g], 0, out, g * alphabet, alphabet);
    }
    return new Merged(map, groups, out);
  }

  /** The merged row and cost of groups {@code g} and {@code g + 1}; with one of them empty, the other's as they are. */
  private static void pair(long[][] counts, double[] cost, int g, int alphabet, long[][] pairRow, double[] pairCost) {
    long[] a = counts[g];
    long[] b = counts[g + 1];
    long[] merged = new long[alphabet];
    boolean aEmpty = true;
    boolean bEmpty = true;
    for (int s = 0; s < alphabet; s++) {
      merged[s] = a[s] + b[s];
      aEmpty &= a[s] == 0;
      bEmpty &= b[s] == 0;
    }
    pairRow[g] = merged;
    pairCost[g] = aEmpty ? cost[g + 1] : bEmpty ? cost[g] : cost(merged);
  }

  /** Entropy of the counts plus an estimate of their table's size, in bits. */
  private static double cost(long[] row) {
    long total = 0;
    int used = 0;
    for (int s = 0; s < row.length; s++) {
      total += row[s];
      if (row[s] > 0) {
        used = s + 1;
      }
    }
    if (total == 0) {
      return 0;
    }
    double bits = 0;
    double tableBits = 8;
    double logTotal = Math.log(total);
    for (int s = 0; s < used; s++) {
      long n = row[s];
      if (n > 0) {
        bits += n * (logTotal - Math.log(n));
        tableBits += (double) n * Rans.M / total >= 128 ? 16 : 8;
      } else {
        tableBits += 8;
      }
    }
    return bits / Math.log(2) + tableBits;
  }
}
