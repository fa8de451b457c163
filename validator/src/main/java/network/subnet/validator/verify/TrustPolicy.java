package network.subnet.validator.verify;

import java.util.random.RandomGenerator;
import network.subnet.validator.ledger.TrustRecord;

/**
 * BOINC-style adaptive replication: a miner with fewer than {@code threshold} consecutive verified results always gets
 * the full replica count; past it, a task it takes first is replicated with probability {@code 1 / consecutive} and
 * otherwise runs on its single replica. A failed check resets the count (in the ledger), so trust must be earned
 * again.
 */
public final class TrustPolicy {

  public static final int DEFAULT_THRESHOLD = 10;

  private final int threshold;
  private final RandomGenerator random;

  public TrustPolicy(int threshold, RandomGenerator random) {
    if (threshold < 1) {
      throw new IllegalArgumentException("the trust threshold must be >= 1, got " + threshold);
    }
    this.threshold = threshold;
    this.random = random;
  }

  /** Replicas for a task first taken by a miner with {@code consecutiveValid} verified results in a row. */
  public int replicas(long consecutiveValid, int normal) {
    if (normal <= 1 || consecutiveValid < threshold) {
      return normal;
    }
    synchronized (random) {
      return random.nextDouble() * consecutiveValid < 1.0 ? normal : 1;
    }
  }

  /**
   * Whether a miner's last judged result failed its check: until one passes again it takes fresh tasks only, not
   * replicas that cross-check other miners (see {@code Scheduler}).
   */
  public static boolean onProbation(TrustRecord trust) {
    return trust.faultsTotal() > 0 && trust.consecutiveValid() == 0;
  }

  public int threshold() {
    return threshold;
  }
}
