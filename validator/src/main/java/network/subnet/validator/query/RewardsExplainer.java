package network.subnet.validator.query;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.TaskKind;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.ledger.MinerStats;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.VerdictRecord;
import network.subnet.validator.query.RewardsService.Earnings;
import network.subnet.validator.query.RewardsService.KindCredits;
import network.subnet.validator.verify.DistillJudge;

/**
 * Answers {@link RewardsService#explain} from the ledger: the credit entries of (epoch, miner) give the verified tasks
 * and credits per kind; the miner's results accepted inside the epoch's time window give the failed, pending and
 * undecided counts; the epoch's verdict records give the held-back credit and, for a closed epoch, the gold results.
 * A result accepted in one epoch and settled in the next counts in the first for its outcome and in the second for its
 * credit, because that is where the ledger booked each.
 */
public final class RewardsExplainer {

  private final Ledger ledger;
  private final LongSupplier clockMs;

  public RewardsExplainer(Ledger ledger, LongSupplier clockMs) {
    this.ledger = ledger;
    this.clockMs = clockMs;
  }

  public Earnings explain(long epoch, PublicKey miner) {
    Ledger.OpenEpoch open = ledger.openEpoch();
    long number = epoch >= 0 ? epoch : ledger.latestClosedEpoch().map(EpochRecord::epoch).orElse(open.number());
    boolean closed = number < open.number();
    if (number > open.number()) {
      throw ApiException.notFound("epoch " + number + " has not begun (open epoch: " + open.number() + ")");
    }
    long startMs;
    long endMs;
    long epochCredits;
    if (closed) {
      EpochRecord record = ledger.epoch(number)
          .orElseThrow(() -> ApiException.notFound("epoch " + number + " has no record in this ledger"));
      startMs = record.startMs();
      endMs = record.endMs();
      epochCredits = record.totalCredits();
    } else {
      startMs = open.startMs();
      endMs = Math.max(startMs, clockMs.getAsLong());
      epochCredits = ledger.openEpochCredits().values().stream().mapToLong(Long::longValue).sum();
    }
    MinerStats stats = ledger.stats(miner);
    if (ledger.miner(miner).isEmpty() && stats.credits() == 0 && stats.resultsAccepted() == 0
        && stats.resultsRejected() == 0) {
      throw ApiException.notFound("miner " + miner + " is not known to this validator");
    }

    Map<TaskKind, long[]> kinds = new EnumMap<>(TaskKind.class);
    long credits = 0;
    long verified = 0;
    for (Map.Entry<String, Long> c : ledger.credits(number, miner).entrySet()) {
      TaskKind kind = ledger.task(c.getKey()).map(r -> r.task().kind()).orElse(TaskKind.DISTILL);
      long[] k = kinds.computeIfAbsent(kind, x -> new long[2]);
      k[0]++;
      k[1] += c.getValue();
      credits += c.getValue();
      verified++;
    }
    long[] outcomes = new long[ResultRecord.Status.values().length];
    // The open epoch has no end yet; a closed one ends where the next begins.
    long windowEnd = closed ? endMs : Long.MAX_VALUE;
    ledger.forEachResultOf(miner, r -> {
      if (r.acceptedAtMs() >= startMs && r.acceptedAtMs() < windowEnd) {
        outcomes[r.status().ordinal()]++;
      }
    });
    // Held-back credit from the trust rules; gold counts only once the epoch is closed, so that watching them move
    // cannot tell a miner which of its open tasks were gold.
    long heldBack = 0;
    long goldPassed = 0;
    long goldFailed = 0;
    for (VerdictRecord v : ledger.verdictsFor(miner, number)) {
      if (v.outcome() == VerdictRecord.Outcome.HELD) {
        heldBack++;
      }
      if (closed && DistillJudge.GOLD_RULE.equals(v.rule())) {
        if (v.outcome() == VerdictRecord.Outcome.CREDITED) {
          goldPassed++;
        } else if (v.outcome() == VerdictRecord.Outcome.REJECTED) {
          goldFailed++;
        }
      }
    }
    Map<TaskKind, KindCredits> byKind = new EnumMap<>(TaskKind.class);
    kinds.forEach((kind, k) -> byKind.put(kind, new KindCredits(k[0], k[1])));
    return new Earnings(number, closed, startMs, endMs, miner, credits, epochCredits, verified,
        outcomes[ResultRecord.Status.REJECTED.ordinal()], outcomes[ResultRecord.Status.PENDING.ordinal()],
        outcomes[ResultRecord.Status.UNDECIDED.ordinal()], heldBack, goldPassed, goldFailed, byKind);
  }
}
