package network.subnet.validator.query;

import java.util.List;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.epoch.EpochRecord;

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

  /** A miner's standing: credits over all epochs, accepted and rejected results, when it last called. */
  record MinerStanding(PublicKey miner, long credits, long resultsAccepted, long resultsRejected, long lastSeenMs) {}

  /** A miner's standing plus its reported teacher (null if never registered) and its open leases. */
  record MinerStatus(MinerStanding standing, TeacherSpec teacher, int leasesOpen) {}

  record NetworkStatus(long tasksTotal, long tasksVerified, long tasksPending, long miners, long currentEpoch) {}
}
