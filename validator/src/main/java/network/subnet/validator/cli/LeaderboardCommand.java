package network.subnet.validator.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.validator.query.QueryClient;
import network.subnet.validator.query.RewardsService.MinerStanding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code subnet leaderboard}: miners by credits over all epochs. */
@Command(name = "leaderboard", mixinStandardHelpOptions = true, description = "Show the miners with the most credits.")
public final class LeaderboardCommand implements Callable<Integer> {

  @Mixin QueryOptions query;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "How many miners (0: all; default: ${DEFAULT-VALUE}).")
  int limit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (limit < 0) {
      spec.commandLine().getErr().println("error: --limit must be >= 0, got " + limit);
      return 1;
    }
    try (QueryClient client = QueryClient.connect(query.validator, query.security())) {
      List<MinerStanding> board = client.leaderboard(limit);
      if (query.json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MinerStanding s : board) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("miner", s.miner().hex());
          row.put("credits", s.credits());
          row.put("resultsAccepted", s.resultsAccepted());
          row.put("resultsRejected", s.resultsRejected());
          row.put("lastSeenMs", s.lastSeenMs());
          rows.add(row);
        }
        out.println(Output.json(rows));
      } else {
        out.printf("%4s  %-64s  %12s  %9s  %9s  %s%n", "RANK", "MINER", "CREDITS", "ACCEPTED", "REJECTED", "LAST SEEN");
        int rank = 1;
        for (MinerStanding s : board) {
          out.printf("%4d  %-64s  %12d  %9d  %9d  %s%n", rank++, s.miner().hex(), s.credits(), s.resultsAccepted(),
              s.resultsRejected(), Output.time(s.lastSeenMs()));
        }
        if (board.isEmpty()) {
          out.println("no miners yet");
        }
      }
      out.flush();
      return 0;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println(Output.error(e, query.validator));
      return 1;
    }
  }
}
