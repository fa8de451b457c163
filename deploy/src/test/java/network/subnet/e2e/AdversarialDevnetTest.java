package network.subnet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import network.subnet.cli.devnet.Devnet;
import network.subnet.cli.devnet.Population;
import network.subnet.miner.behavior.Behavior;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.ledger.VerdictRecord;
import network.subnet.validator.verify.DistillJudge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A devnet-sized network on loopback (real validator, real gRPC, RocksDB, the tiny model in every miner) where 30% of
 * the miners cheat in every way the miner knows: random, lazy, replay, copycat and a colluding pair. At the end of the
 * epoch the cheaters have earned nothing and every honest miner's share matches its share of the accepted work.
 */
class AdversarialDevnetTest {

  private static final int MINERS = 20;
  private static final int TASKS = 200;
  /**
   * A copycat answers right whenever someone else computed its task first, so only a task it holds alone can expose
   * it: a gold task, or one whose other replica nobody posts in time. In this short run it takes some 6 to 20 tasks,
   * and with gold fraction g a lease is gold with probability g / (2 - g): at 0.1 (5%) it went unchecked in about
   * 1 run of 30; at 0.2 (11%) the odds of meeting no gold task drop to a few percent and, with the other exposures,
   * a copycat going unchecked becomes rare. Real epochs run far more tasks, so the default fraction is lower.
   */
  private static final double GOLD_FRACTION = 0.2;

  @TempDir Path dir;

  @Test
  void cheatersEarnNothingAndHonestSharesMatchTheirWork() throws Exception {
    List<Behavior> mix = List.of(
        Behavior.RANDOM, Behavior.LAZY, Behavior.REPLAY, Behavior.COPYCAT, Behavior.COLLUDE, Behavior.COLLUDE);
    Devnet.Options options = new Devnet.Options(dir, MINERS, TASKS, 0, 0, 2, 16, 64, 0);
    long started = System.nanoTime();
    try (Devnet devnet = Devnet.start(options, new Population(mix.size(), mix, GOLD_FRACTION))) {
      double startup = (System.nanoTime() - started) / 1e9;
      Devnet.Progress progress = devnet.awaitVerified(Duration.ofSeconds(90));
      double verified = (System.nanoTime() - started) / 1e9 - startup;
      assertThat(progress.distillVerified()).as("distill tasks verified").isEqualTo(TASKS);
      EpochRecord epoch = devnet.finish();
      List<Devnet.MinerView> miners = devnet.finishedMiners();
      assertThat(miners).hasSize(MINERS);
      assertThat(miners).filteredOn(m -> m.behavior().adversarial()).hasSize(mix.size());

      Map<PublicKey, Long> credits = new HashMap<>();
      for (MerkleTree.Entry e : epoch.entries()) {
        credits.put(e.miner(), e.credits());
      }
      long honestWork = miners.stream().filter(m -> !m.behavior().adversarial())
          .mapToLong(Devnet.MinerView::acceptedTokens).sum();
      long total = epoch.totalCredits();
      StringBuilder table = new StringBuilder(String.format(
          "%n%d miners (%d adversarial), %d tasks, gold fraction %.2f: start %.1f s, verify %.1f s, total %.1f s%n"
              + "%-10s %-8s %9s %8s %8s %10s %7s %5s%n",
          MINERS, mix.size(), TASKS, GOLD_FRACTION, startup, verified, (System.nanoTime() - started) / 1e9,
          "miner", "behavior", "accepted", "credits", "share", "true share", "faults", "gold"));
      double worst = 0;
      for (Devnet.MinerView m : miners) {
        long c = credits.getOrDefault(m.key(), 0L);
        double share = (double) c / total;
        double trueShare = m.behavior().adversarial() ? 0 : (double) m.acceptedTokens() / honestWork;
        long faults = devnet.validatorNode().ledger().trust(m.key()).faultsTotal();
        List<VerdictRecord> verdicts = devnet.validatorNode().ledger().verdictsFor(m.key(), epoch.epoch());
        // Gold results judged, to show gold tasks reach miners all along the run, not only at its end.
        long gold = verdicts.stream().filter(v -> v.rule().startsWith(DistillJudge.GOLD_RULE)).count();
        table.append(String.format("%-10s %-8s %9d %8d %8.4f %10.4f %7d %5d%n", m.key().hex().substring(0, 8),
            m.behavior().cliName(), m.acceptedTokens(), c, share, trueShare, faults, gold));
        if (m.behavior().adversarial()) {
          assertThat(c).as("credits of the %s miner", m.behavior().cliName()).isZero();
          assertThat(verdicts).extracting(VerdictRecord::outcome).contains(VerdictRecord.Outcome.FORFEITED);
        } else {
          assertThat(m.acceptedTokens()).as("every honest miner did some work").isPositive();
          worst = Math.max(worst, Math.abs(share - trueShare) / trueShare);
        }
      }
      table.append(String.format("largest relative gap between an honest share and its true share: %.4f%%%n",
          100 * worst));
      System.out.print(table);
      assertThat(worst).as(table.toString()).isLessThanOrEqualTo(0.01);
    }
  }
}
