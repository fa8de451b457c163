package network.subnet.validator.query;

import java.util.List;
import java.util.Map;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.RewardProof;

/**
 * Read-only questions about the validator's ledger. Unknown epochs and miners fail with
 * {@link network.subnet.node.api.ApiException} NOT_FOUND.
 */
public interface RewardsService {

  /** A closed epoch's signed reward shares; {@code epoch < 0} asks for the latest closed epoch. */
  EpochRecord rewards(long epoch);

  /** Miners by credits, best first, at most {@code limit} (0: all). */
  List<MinerStanding> leaderboard(int limit);

  MinerStatus minerStatus(PublicKey miner);

  NetworkStatus networkStatus();

  /**
   * {@code miner}'s entry in a closed epoch ({@code epoch < 0}: the latest) with its Merkle path and the signed root;
   * NOT_FOUND when the epoch is not closed or the miner earned nothing in it.
   */
  default RewardProof rewardProof(long epoch, PublicKey miner) {
    EpochRecord record = rewards(epoch);
    if (record.entry(miner).isEmpty()) {
      throw ApiException.notFound("miner " + miner + " earned nothing in epoch " + record.epoch());
    }
    return record.rewardProof(miner);
  }

  /**
   * Why {@code miner} earned what it earned in an epoch ({@code epoch < 0}: the latest closed one, or the open one
   * before any has closed). NOT_FOUND for an epoch not begun or a miner never seen.
   */
  default Earnings explain(long epoch, PublicKey miner) {
    throw new ApiException(ApiException.Code.FAILED_PRECONDITION, "this validator does not explain rewards");
  }

  /** A miner's standing: credits over all epochs, accepted and rejected results, when it last called. */
  record MinerStanding(PublicKey miner, long credits, long resultsAccepted, long resultsRejected, long lastSeenMs) {}

  /** A miner's standing plus its reported teacher (null if never registered) and its open leases. */
  record MinerStatus(MinerStanding standing, TeacherSpec teacher, int leasesOpen) {}

  /**
   * A miner's epoch, counted from the ledger: results by outcome (in the epoch they were accepted) and credits by task
   * kind. {@code heldBack}, {@code goldPassed} and {@code goldFailed} stay 0 until the ledger keeps verdict records.
   */
  record Earnings(
      long epoch,
      boolean closed,
      long startMs,
      long endMs,
      PublicKey miner,
      long credits,
      long epochCredits,
      long verified,
      long failed,
      long pending,
      long undecided,
      long heldBack,
      long goldPassed,
      long goldFailed,
      Map<TaskKind, KindCredits> byKind) {

    public Earnings {
      byKind = Map.copyOf(byKind);
    }

    public double share() {
      return epochCredits == 0 ? 0.0 : (double) credits / epochCredits;
    }
  }

  /** Tasks of one kind credited to a miner in an epoch, and their credits. */
  record KindCredits(long tasks, long credits) {}

  record NetworkStatus(long tasksTotal, long tasksVerified, long tasksPending, long miners, long currentEpoch) {}
}
