package network.subnet.validator.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.query.RewardsService.MinerStanding;

/** Renders a {@link Dashboard.Snapshot} as one self-contained HTML page (inline CSS and SVG, no script). */
final class DashboardPage {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();
  private static final String STYLE = """
      body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
      h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
      .sub{color:#666;font-size:13px} .mono{font-family:ui-monospace,monospace;font-size:12px}
      table{border-collapse:collapse;background:#fff;font-size:13px}
      th,td{border:1px solid #ccc;padding:4px 8px;text-align:left} th{background:#eef2f7}
      td.num{text-align:right} .ok{color:#1a7f37} .bad{color:#c62828}
      .stats span{display:inline-block;margin-right:18px}
      """;

  private DashboardPage() {}

  static String render(Dashboard.Snapshot s) {
    StringBuilder out = new StringBuilder(16_384);
    out.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"15\">")
        .append("<title>subnet validator</title><style>").append(STYLE).append("</style></head><body>");
    out.append("<h1>subnet validator</h1><div class=\"sub\">key <span class=\"mono\" id=\"validator-key\">")
        .append(Html.escape(s.validator().hex())).append("</span> &middot; read at ")
        .append(TIME.format(Instant.ofEpochMilli(s.nowMs()))).append("</div>");
    out.append("<p class=\"stats\" id=\"network\">")
        .append(stat("tasks", s.status().tasksTotal()))
        .append(stat("verified", s.status().tasksVerified()))
        .append(stat("pending", s.status().tasksPending()))
        .append(stat("miners", s.status().miners()))
        .append(stat("open epoch", s.openEpoch().number()))
        .append("<span>since ").append(TIME.format(Instant.ofEpochMilli(s.openEpoch().startMs()))).append("</span></p>");
    leaderboard(out, s);
    out.append("<h2>Verified and failed work over time</h2>")
        .append("<div class=\"sub\">cumulative results per miner: solid line verified (credited), dashed line failed "
            + "(rejected)</div>")
        .append(WorkPlot.svg(s.history()));
    shares(out, s);
    epochs(out, s);
    openTasks(out, s);
    return out.append("</body></html>").toString();
  }

  private static String stat(String label, long value) {
    return "<span>" + Html.escape(label) + ": <b>" + value + "</b></span>";
  }

  private static void leaderboard(StringBuilder out, Dashboard.Snapshot s) {
    out.append("<h2>Leaderboard</h2><table id=\"leaderboard\"><thead><tr><th>#</th><th>miner</th><th>credits</th>")
        .append("<th>accepted</th><th>rejected</th><th>last seen</th></tr></thead><tbody>");
    int rank = 1;
    for (MinerStanding m : s.leaderboard()) {
      out.append("<tr><td class=\"num\">").append(rank++).append("</td><td class=\"mono\">")
          .append(Html.escape(m.miner().hex())).append("</td><td class=\"num\">").append(m.credits())
          .append("</td><td class=\"num ok\">").append(m.resultsAccepted()).append("</td><td class=\"num bad\">")
          .append(m.resultsRejected()).append("</td><td>")
          .append(m.lastSeenMs() > 0 ? TIME.format(Instant.ofEpochMilli(m.lastSeenMs())) : "not since start")
          .append("</td></tr>");
    }
    if (s.leaderboard().isEmpty()) {
      out.append("<tr><td colspan=\"6\">no miner has results yet</td></tr>");
    }
    out.append("</tbody></table>");
  }

  private static void shares(StringBuilder out, Dashboard.Snapshot s) {
    out.append("<h2>Reward shares per epoch</h2><table id=\"shares\"><thead><tr><th>epoch</th><th>miner</th>")
        .append("<th>credits</th><th>share</th></tr></thead><tbody>");
    for (EpochRecord e : s.epochs()) {
      for (MerkleTree.Entry entry : e.entries()) {
        out.append("<tr><td class=\"num\">").append(e.epoch()).append("</td><td class=\"mono\">")
            .append(Html.escape(entry.miner().hex())).append("</td><td class=\"num\">").append(entry.credits())
            .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.2f%%", 100 * e.share(entry)))
            .append("</td></tr>");
      }
    }
    if (s.epochs().isEmpty()) {
      out.append("<tr><td colspan=\"4\">no epoch has closed yet</td></tr>");
    }
    out.append("</tbody></table>");
  }

  private static void epochs(StringBuilder out, Dashboard.Snapshot s) {
    out.append("<h2>Signed epoch roots</h2><table id=\"epochs\"><thead><tr><th>epoch</th><th>closed</th>")
        .append("<th>miners</th><th>credits</th><th>merkle root</th><th>signature</th><th>check</th></tr></thead>")
        .append("<tbody>");
    for (EpochRecord e : s.epochs()) {
      boolean valid = e.verify() && e.validator().equals(s.validator());
      out.append("<tr><td class=\"num\">").append(e.epoch()).append("</td><td>")
          .append(TIME.format(Instant.ofEpochMilli(e.endMs()))).append("</td><td class=\"num\">")
          .append(e.entries().size()).append("</td><td class=\"num\">").append(e.totalCredits())
          .append("</td><td class=\"mono root\">").append(HEX.formatHex(e.merkleRoot()))
          .append("</td><td class=\"mono\" title=\"").append(HEX.formatHex(e.signature())).append("\">")
          .append(HEX.formatHex(e.signature()).substring(0, 16)).append("&hellip;</td><td class=\"")
          .append(valid ? "ok\">signature valid" : "bad\">signature INVALID").append("</td></tr>");
    }
    if (s.epochs().isEmpty()) {
      out.append("<tr><td colspan=\"7\">no epoch has closed yet</td></tr>");
    }
    out.append("</tbody></table>");
  }

  private static void openTasks(StringBuilder out, Dashboard.Snapshot s) {
    out.append("<h2>Open tasks</h2><div class=\"sub\">").append(s.openTaskCount()).append(" waiting for a verdict");
    if (s.openTaskCount() > s.openTasks().size()) {
      out.append(", first ").append(s.openTasks().size()).append(" shown");
    }
    out.append("</div><table id=\"open-tasks\"><thead><tr><th>task</th><th>kind</th><th>results in</th>")
        .append("<th>replicas needed</th></tr></thead><tbody>");
    for (Dashboard.OpenTask t : s.openTasks()) {
      out.append("<tr><td class=\"mono\">").append(Html.escape(t.taskId())).append("</td><td>")
          .append(t.kind().name().toLowerCase(Locale.ROOT)).append("</td><td class=\"num\">").append(t.resultsIn())
          .append("</td><td class=\"num\">").append(t.replicasNeeded()).append("</td></tr>");
    }
    if (s.openTasks().isEmpty()) {
      out.append("<tr><td colspan=\"4\">none</td></tr>");
    }
    out.append("</tbody></table>");
  }
}
