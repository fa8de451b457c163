package network.subnet.node.labels;

/**
 * How far apart two replicas' soft labels for the same sequence are. The validator judges replicas and
 * {@code subnet calibrate} measures honest drift with this one computation, so the calibrated tolerances mean exactly
 * what the validator checks.
 *
 * @param top1Agreement fraction of positions whose best token is the same
 * @param topKOverlap mean over positions of the fraction of ids both replicas list
 * @param meanAbsLogProbDiff mean |log-prob difference| over the (position, id) pairs both replicas list
 * @param maxAbsLogProbDiff the largest of those differences
 * @param matchedEntries how many (position, id) pairs both replicas list
 */
public record ReplicaDistance(
    double top1Agreement,
    double topKOverlap,
    double meanAbsLogProbDiff,
    double maxAbsLogProbDiff,
    long matchedEntries) {

  /** Labels of a different shape share nothing: no agreement and an infinite distance. */
  public static final ReplicaDistance DISJOINT =
      new ReplicaDistance(0, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0);

  public static ReplicaDistance between(SoftLabels a, SoftLabels b) {
    int positions = a.positions();
    if (positions != b.positions() || a.topK() != b.topK()) {
      return DISJOINT;
    }
    if (positions == 0) {
      return new ReplicaDistance(1, 1, 0, 0, 0);
    }
    int top1 = 0;
    long matched = 0;
    double diff = 0;
    double max = 0;
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
          double d = Math.abs((double) la[j] - lb[at]);
          diff += d;
          max = Math.max(max, d);
        }
      }
    }
    int k = a.topK();
    double overlap = k == 0 ? 1 : (double) matched / ((long) positions * k);
    double mean = matched == 0 ? Double.POSITIVE_INFINITY : diff / matched;
    return new ReplicaDistance((double) top1 / positions, overlap, mean, matched == 0 ? mean : max, matched);
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
