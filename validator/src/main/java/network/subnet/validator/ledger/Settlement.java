package network.subnet.validator.ledger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import network.subnet.node.identity.PublicKey;

/**
 * Everything one verdict on a task changes, written by {@link Ledger#settle(Settlement)} in one batch.
 *
 * @param task the task's new record (status and replicas)
 * @param results every result of the task with its new status; AGREED ones are credited {@code creditsPerResult}
 * @param unverified miners among the AGREED whose credit rests on their single replica (not cross-checked)
 * @param verified miners whose result was verified (cross-checked, gold or reference): their trust grows
 * @param faults miners whose result failed the check: their trust resets and their unverified credit is held back
 * @param verdicts one verdict per result, with its evidence
 */
public record Settlement(
    TaskRecord task,
    List<ResultRecord> results,
    long creditsPerResult,
    Set<PublicKey> unverified,
    Set<PublicKey> verified,
    Map<PublicKey, Fault> faults,
    List<VerdictRecord> verdicts) {

  /**
   * A failed check. A {@code proven} one disagreed with the validator's own answer (a gold task or its reference
   * recomputation), not merely with other miners, and forfeits the miner's credit for the open epoch.
   */
  public record Fault(boolean proven, String reason) {}

  public Settlement {
    results = List.copyOf(results);
    unverified = Set.copyOf(unverified);
    verified = Set.copyOf(verified);
    faults = Map.copyOf(faults);
    verdicts = List.copyOf(verdicts);
  }
}
