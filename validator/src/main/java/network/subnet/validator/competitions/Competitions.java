package network.subnet.validator.competitions;

import java.util.List;

/**
 * The competitions a validator hosts, as callers use them in process or over gRPC. Unknown competitions fail with
 * {@link network.subnet.node.api.ApiException} NOT_FOUND; bad submissions with INVALID_ARGUMENT naming the problem.
 */
public interface Competitions {

  List<CompetitionView> list();

  CompetitionView show(String id);

  /** Every entry that took the lead, oldest first. */
  List<CompetitionEntry> leadHistory(String id);

  /** Entries by score, best first (ties: earlier first), at most {@code limit} (0: all). */
  List<CompetitionEntry> leaderboard(String id, int limit);

  /** The bytes entry {@code seq} was scored on: a winner's method, for the network to use. */
  byte[] payload(String id, long seq);

  /** Checks the signature and window, scores the payload, stores the entry and applies the improvement rule. */
  SubmitResult submit(SignedSubmission submission);
}
