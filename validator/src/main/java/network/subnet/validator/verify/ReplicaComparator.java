package network.subnet.validator.verify;

import network.subnet.node.labels.SoftLabels;

/**
 * Decides whether two replicas of a distill task agree: the top-1 token must match on at least
 * {@code minTop1Agreement} of the positions, and over the token ids both replicas list at a position, the mean
 * absolute log-prob difference must stay within {@code maxMeanLogProbDiff} nats. fp32 runs of the same teacher agree
 * exactly; the tolerance absorbs packing error and benign kernel drift.
 */
public final class ReplicaComparator {

  /** How two replicas compare. {@code matchedEntries} counts the (position, id) pairs both of them list. */
  public record Comparison(double top1Agreement, double meanAbsLogProbDiff, long matchedEntries, boolean agree) {}

  private final double minTop1Agreement;
  private final double maxMeanLogProbDiff;

  public ReplicaComparator(double minTop1Agreement, double maxMeanLogProbDiff) {
    if (!(minTop1Agreement >= 0 && minTop1Agreement <= 1)) {
      throw new IllegalArgumentException("top-1 agreement threshold must be in [0, 1], got " + minTop1Agreement);
    }
    if (!(maxMeanLogProbDiff >= 0)) {
      throw new IllegalArgumentException("log-prob tolerance must be >= 0, got " + maxMeanLogProbDiff);
    }
    this.minTop1Agreement = minTop1Agreement;
    this.maxMeanLogProbDiff = maxMeanLogProbDiff;
  }

  public double minTop1Agreement() {
    return minTop1Agreement;
  }

  public double maxMeanLogProbDiff() {
    return maxMeanLogProbDiff;
  }

  public boolean agree(SoftLabels a, SoftLabels b) {
    return compare(a, b).agree();
  }

  public Comparison compare(SoftLabels a, SoftLabels b) {
    int positions = a.positions();
    if (positions != b.positions() || a.topK() != b.topK()) {
      return new Comparison(0, Double.POSITIVE_INFINITY, 0, false);
    }
    if (positions == 0) {
      return new Comparison(1, 0, 0, true);
    }
    int top1 = 0;
    long matched = 0;
    double diff = 0;
    for (int p = 0; p < positions; p++) {
      int[] ia = a.tokenIds()[p];
      int[] ib = b.tokenIds()[p];
      float[] la = a.logProbs()[p];
      float[] lb = b.logProbs()[p];
      if (ia.length > 0 && ia[0] == ib[0]) {
        top1++;
      }
      for (int j = 0; j < ia.length; j++) {
        // Replicas almost always list ids in the same order, so look at the same rank first.
        int at = ib[j] == ia[j] ? j : indexOf(ib, ia[j]);
        if (at >= 0) {
          matched++;
          diff += Math.abs((double) la[j] - lb[at]);
        }
      }
    }
    double agreement = (double) top1 / positions;
    double mean = matched == 0 ? Double.POSITIVE_INFINITY : diff / matched;
    return new Comparison(agreement, mean, matched, agreement >= minTop1Agreement && mean <= maxMeanLogProbDiff);
  }

  private static int indexOf(int[] ids, int id) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }
}
