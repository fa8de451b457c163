package network.subnet.validator;

import java.util.Map;
import network.subnet.node.metrics.PrometheusMetrics;
import network.subnet.validator.ledger.Ledger;

/** The validator's gauges read from its ledger at each scrape: tasks by status, miners and the open epoch. */
public final class ValidatorMetrics {

  private ValidatorMetrics() {}

  /** Adds the ledger's gauges for {@code node} to {@code metrics}. */
  public static PrometheusMetrics watchLedger(PrometheusMetrics metrics, ValidatorNode node) {
    Ledger ledger = node.ledger();
    return metrics
        .gauge("subnet_ledger_tasks", "Tasks in the ledger by status.", "status", () -> {
          long total = ledger.tasksTotal();
          long verified = ledger.tasksVerified();
          long pending = ledger.tasksPending();
          return Map.of("pending", pending, "verified", verified, "undecided", total - verified - pending);
        })
        .gauge("subnet_ledger_miners", "Miners registered in the ledger.", ledger::minerCount)
        .gauge("subnet_epoch_open", "Number of the open epoch.", () -> ledger.openEpoch().number());
  }
}
