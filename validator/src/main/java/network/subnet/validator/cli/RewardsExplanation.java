package network.subnet.validator.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import network.subnet.node.api.TaskKind;
import network.subnet.validator.query.RewardsService.Earnings;
import network.subnet.validator.query.RewardsService.KindCredits;

/** Prints {@code subnet rewards --explain}: why a miner earned what it earned in one epoch. */
final class RewardsExplanation {

  private RewardsExplanation() {}

  static void print(PrintWriter out, Earnings e, boolean json) {
    if (json) {
      out.println(Output.json(toJson(e)));
      return;
    }
    out.printf("epoch %d (%s)  %s .. %s%n", e.epoch(), e.closed() ? "closed" : "open, still counting",
        Output.time(e.startMs()), Output.time(e.endMs()));
    out.printf("miner %s%n", e.miner().hex());
    out.printf("credits %d of %d  share %.4f%%%n", e.credits(), e.epochCredits(), 100 * e.share());
    out.printf("tasks verified %d  failed %d  pending %d  undecided %d  held back %d%n", e.verified(), e.failed(),
        e.pending(), e.undecided(), e.heldBack());
    out.printf("gold tasks passed %d  failed %d%n", e.goldPassed(), e.goldFailed());
    out.printf("%-10s  %8s  %12s%n", "KIND", "TASKS", "CREDITS");
    for (TaskKind kind : TaskKind.values()) {
      KindCredits k = e.byKind().get(kind);
      if (k != null) {
        out.printf("%-10s  %8d  %12d%n", kind.name().toLowerCase(), k.tasks(), k.credits());
      }
    }
    if (e.byKind().isEmpty()) {
      out.println("no credited tasks in this epoch");
    }
  }

  private static Map<String, Object> toJson(Earnings e) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("epoch", e.epoch());
    json.put("closed", e.closed());
    json.put("startMs", e.startMs());
    json.put("endMs", e.endMs());
    json.put("miner", e.miner().hex());
    json.put("credits", e.credits());
    json.put("epochCredits", e.epochCredits());
    json.put("share", e.share());
    json.put("tasksVerified", e.verified());
    json.put("tasksFailed", e.failed());
    json.put("tasksPending", e.pending());
    json.put("tasksUndecided", e.undecided());
    json.put("heldBack", e.heldBack());
    json.put("goldPassed", e.goldPassed());
    json.put("goldFailed", e.goldFailed());
    Map<String, Object> kinds = new LinkedHashMap<>();
    for (TaskKind kind : TaskKind.values()) {
      KindCredits k = e.byKind().get(kind);
      if (k != null) {
        kinds.put(kind.name().toLowerCase(), Map.of("tasks", k.tasks(), "credits", k.credits()));
      }
    }
    json.put("byKind", kinds);
    return json;
  }
}
