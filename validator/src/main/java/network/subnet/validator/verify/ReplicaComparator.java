package network.subnet.validator.verify;

import network.subnet.node.labels.ReplicaDistance;
import network.subnet.node.labels.SoftLabels;

/**
 * Decides whether two replicas of a distill task agree: their {@link ReplicaDistance} must stay within the
 * {@link Tolerances}: top-1 agreement and top-k overlap high enough, mean |log-prob difference| over the entries both
 * list small enough. fp32 runs of the same teacher agree almost exactly; the tolerance absorbs packing error and benign
 * kernel drift, as measured by {@code subnet calibrate}.
 */
public final class ReplicaComparator {

  /** How two replicas compare, and whether that is within the tolerances. */
  public record Comparison(ReplicaDistance distance, boolean agree) {

    public double top1Agreement() {
      return distance.top1Agreement();
    }

    public double meanAbsLogProbDiff() {
      return distance.meanAbsLogProbDiff();
    }

    public long matchedEntries() {
      return distance.matchedEntries();
    }
  }

  private final Tolerances tolerances;

  public ReplicaComparator(Tolerances tolerances) {
    this.tolerances = tolerances;
  }

  /** Tolerances with the given top-1 and log-prob bars and the default top-k overlap. */
  public ReplicaComparator(double minTop1Agreement, double maxMeanLogProbDiff) {
    this(new Tolerances(minTop1Agreement, Tolerances.DEFAULT_MIN_TOPK_OVERLAP, maxMeanLogProbDiff));
  }

  public Tolerances tolerances() {
    return tolerances;
  }

  public double minTop1Agreement() {
    return tolerances.minTop1Agreement();
  }

  public double maxMeanLogProbDiff() {
    return tolerances.maxMeanLogProbDiff();
  }

  public boolean agree(SoftLabels a, SoftLabels b) {
    return compare(a, b).agree();
  }

  public Comparison compare(SoftLabels a, SoftLabels b) {
    ReplicaDistance d = ReplicaDistance.between(a, b);
    boolean agree = d.top1Agreement() >= tolerances.minTop1Agreement()
        && d.topKOverlap() >= tolerances.minTopKOverlap()
        && d.meanAbsLogProbDiff() <= tolerances.maxMeanLogProbDiff();
    return new Comparison(d, agree);
  }
}
