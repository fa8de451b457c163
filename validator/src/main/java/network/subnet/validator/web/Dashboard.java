package network.subnet.validator.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import network.subnet.node.api.TaskKind;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.query.RewardsService;
import network.subnet.validator.query.RewardsService.MinerStanding;
import network.subnet.validator.query.RewardsService.NetworkStatus;

/**
 * Reads what the web page shows from the validator's query domain ({@link RewardsService}) and the ledger's read
 * methods, in one pass per request. It never writes and never goes through gRPC.
 */
public final class Dashboard {

  /** Closed epochs shown, newest first. */
  static final int EPOCHS_SHOWN = 10;
  /** Open tasks listed; the total is still counted. */
  static final int OPEN_TASKS_SHOWN = 50;
  static final int HISTORY_BINS = 24;

  /** A task still waiting for its verdict. */
  public record OpenTask(String taskId, TaskKind kind, int replicasNeeded, int resultsIn) {}

  /** Everything one page shows, read at {@code nowMs}. */
  public record Snapshot(
      PublicKey validator,
      long nowMs,
      NetworkStatus status,
      Ledger.OpenEpoch openEpoch,
      List<MinerStanding> leaderboard,
      List<EpochRecord> epochs,
      List<OpenTask> openTasks,
      long openTaskCount,
      WorkHistory history) {}

  private final RewardsService rewards;
  private final Ledger ledger;
  private final PublicKey validator;
  private final LongSupplier clockMs;

  public Dashboard(RewardsService rewards, Ledger ledger, PublicKey validator, LongSupplier clockMs) {
    this.rewards = rewards;
    this.ledger = ledger;
    this.validator = validator;
    this.clockMs = clockMs;
  }

  public static Dashboard of(ValidatorNode node) {
    return new Dashboard(node, node.ledger(), node.validatorKey(), System::currentTimeMillis);
  }

  public Snapshot read() {
    long now = clockMs.getAsLong();
    List<EpochRecord> epochs = new ArrayList<>();
    ledger.latestClosedEpoch().ifPresent(latest -> {
      for (long n = latest.epoch(); n >= 0 && epochs.size() < EPOCHS_SHOWN; n--) {
        ledger.epoch(n).ifPresent(epochs::add);
      }
    });
    List<OpenTask> open = new ArrayList<>();
    long[] openCount = {0};
    ledger.forEachPendingTask(t -> {
      if (openCount[0]++ < OPEN_TASKS_SHOWN) {
        open.add(new OpenTask(t.task().id(), t.task().kind(), t.replicasNeeded(), ledger.results(t.task().id()).size()));
      }
    });
    WorkHistory.Builder history = new WorkHistory.Builder();
    ledger.forEachResult(history::add);
    return new Snapshot(validator, now, rewards.networkStatus(), ledger.openEpoch(), rewards.leaderboard(0), epochs,
        open, openCount[0], history.build(HISTORY_BINS, now));
  }
}
