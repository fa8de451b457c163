package network.subnet.validator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.KeyFileException;
import network.subnet.node.identity.LocalSigner;
import network.subnet.validator.competitions.CompetitionClient;
import network.subnet.validator.competitions.CompetitionEntry;
import network.subnet.validator.competitions.CompetitionView;
import network.subnet.validator.competitions.SignedSubmission;
import network.subnet.validator.competitions.SubmitResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code subnet competitions list|show|submit|leaderboard}: the competitions a validator hosts. */
@Command(
    name = "competitions",
    mixinStandardHelpOptions = true,
    description = "List the validator's competitions, show one, submit an entry, or show a leaderboard.",
    subcommands = {
      CompetitionsCommand.ListCommand.class,
      CompetitionsCommand.Show.class,
      CompetitionsCommand.Submit.class,
      CompetitionsCommand.Leaderboard.class,
      CompetitionsCommand.Download.class
    })
public final class CompetitionsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: list, show, submit, leaderboard or download");
  }

  /** Runs {@code body} against the validator, printing a refusal as one line on stderr. */
  private static int withClient(CommandSpec spec, QueryOptions query, ClientCall body) {
    try (CompetitionClient client = CompetitionClient.connect(query.validator, query.security())) {
      body.run(client, spec.commandLine().getOut());
      spec.commandLine().getOut().flush();
      return 0;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println(Output.error(e, query.validator));
      spec.commandLine().getErr().flush();
      return 1;
    }
  }

  private interface ClientCall {
    void run(CompetitionClient client, PrintWriter out);
  }

  static Map<String, Object> json(CompetitionView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id());
    m.put("scorer", v.scorer());
    m.put("dataset", v.dataset());
    m.put("description", v.description());
    m.put("scoreToBeat", v.scoreToBeat());
    m.put("improvement", v.improvement());
    m.put("higherIsBetter", v.higherIsBetter());
    m.put("opensMs", v.opensMs());
    m.put("closesMs", v.closesMs());
    m.put("entries", v.entries());
    m.put("topScore", v.topScore());
    m.put("leader", v.leader() == null ? null : json(v.leader()));
    return m;
  }

  static Map<String, Object> json(CompetitionEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", e.seq());
    m.put("submitter", e.submitter().hex());
    m.put("rawScore", e.rawScore());
    m.put("tookLead", e.tookLead());
    m.put("submittedMs", e.submittedMs());
    m.put("payloadSha256", e.payloadSha256());
    m.put("details", e.details());
    return m;
  }

  private static void printEntries(PrintWriter out, List<CompetitionEntry> entries) {
    out.printf("%4s  %5s  %-64s  %18s  %4s  %s%n", "RANK", "ENTRY", "SUBMITTER", "SCORE", "LEAD", "SUBMITTED");
    int rank = 1;
    for (CompetitionEntry e : entries) {
      out.printf("%4d  %5d  %-64s  %18.6f  %4s  %s%n", rank++, e.seq(), e.submitter().hex(), e.rawScore(),
          e.tookLead() ? "yes" : "", Output.time(e.submittedMs()));
    }
    if (entries.isEmpty()) {
      out.println("no entries yet");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the competitions and their leaders.")
  static final class ListCommand implements Callable<Integer> {
    @Mixin QueryOptions query;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return withClient(spec, query, (client, out) -> {
        List<CompetitionView> all = client.list();
        if (query.json) {
          out.println(Output.json(all.stream().map(CompetitionsCommand::json).toList()));
          return;
        }
        out.printf("%-24s  %-20s  %18s  %7s  %s%n", "ID", "SCORER", "TOP SCORE", "ENTRIES", "LEADER");
        for (CompetitionView v : all) {
          out.printf("%-24s  %-20s  %18.6f  %7d  %s%n", v.id(), v.scorer(), v.topScore(), v.entries(),
              v.leader() == null ? "-" : v.leader().submitter().hex());
        }
        if (all.isEmpty()) {
          out.println("this validator hosts no competitions");
        }
      });
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a competition and its lead history.")
  static final class Show implements Callable<Integer> {
    @Mixin QueryOptions query;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Competition id.")
    String id;

    @Override
    public Integer call() {
      return withClient(spec, query, (client, out) -> {
        CompetitionView v = client.show(id);
        List<CompetitionEntry> history = client.leadHistory(id);
        if (query.json) {
          Map<String, Object> m = json(v);
          m.put("leadHistory", history.stream().map(CompetitionsCommand::json).toList());
          out.println(Output.json(m));
          return;
        }
        out.printf("competition %s  (scorer %s, %s wins)%n", v.id(), v.scorer(),
            v.higherIsBetter() ? "higher" : "lower");
        if (!v.description().isEmpty()) {
          out.println(v.description());
        }
        out.printf("dataset %s%n", v.dataset());
        out.printf("open %s .. %s%n", Output.time(v.opensMs()),
            v.closesMs() == Long.MAX_VALUE ? "-" : Output.time(v.closesMs()));
        out.printf("score to beat %s; a challenger must beat the top score by %.2f%%%n", v.scoreToBeat(),
            100 * v.improvement());
        out.printf("%d entries; top score %s%n", v.entries(), v.topScore());
        out.println("lead history:");
        printEntries(out, history);
      });
    }
  }

  @Command(name = "leaderboard", mixinStandardHelpOptions = true, description = "Entries by score, best first.")
  static final class Leaderboard implements Callable<Integer> {
    @Mixin QueryOptions query;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Competition id.")
    String id;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
        description = "How many entries (0: all; default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      if (limit < 0) {
        throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
      }
      return withClient(spec, query, (client, out) -> {
        List<CompetitionEntry> board = client.leaderboard(id, limit);
        if (query.json) {
          out.println(Output.json(board.stream().map(CompetitionsCommand::json).toList()));
        } else {
          printEntries(out, board);
        }
      });
    }
  }

  @Command(name = "download", mixinStandardHelpOptions = true,
      description = "Save the bytes an entry was scored on (a leader's method, say) to a file.")
  static final class Download implements Callable<Integer> {
    @Mixin QueryOptions query;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Competition id.")
    String id;

    @Option(names = "--entry", paramLabel = "N", description = "Entry number (default: the current leader's).")
    Long entry;

    @Option(names = "--output", paramLabel = "FILE", required = true, description = "Where to write the entry.")
    Path output;

    @Override
    public Integer call() {
      return withClient(spec, query, (client, out) -> {
        long seq;
        if (entry != null) {
          seq = entry;
        } else {
          CompetitionView v = client.show(id);
          if (v.leader() == null) {
            throw new IllegalArgumentException("competition " + id + " has no leader yet; name an --entry");
          }
          seq = v.leader().seq();
        }
        byte[] payload = client.payload(id, seq);
        try {
          Files.write(output, payload);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        }
        out.printf("entry %d of %s: %d bytes written to %s%n", seq, id, payload.length, output);
      });
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = "Sign a file with this node's key and submit it to a competition.")
  static final class Submit implements Callable<Integer> {
    @Mixin QueryOptions query;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Competition id.")
    String id;

    @Option(names = "--file", paramLabel = "FILE", required = true,
        description = "The entry: a codec configuration (JSON), an ONNX model or a prediction CSV.")
    Path file;

    @Option(names = "--key", paramLabel = "FILE", description = "Key file to sign with (default: $SUBNET_HOME/key).")
    Path key;

    @Override
    public Integer call() {
      byte[] payload;
      LocalSigner signer;
      try {
        payload = Files.readAllBytes(file);
        signer = KeyFile.load(key != null ? key : SubnetHome.fromEnvironment().keyFile());
      } catch (NoSuchFileException e) {
        spec.commandLine().getErr().println("error: " + file + " does not exist");
        return 1;
      } catch (IOException | KeyFileException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return 1;
      }
      return withClient(spec, query, (client, out) -> {
        SubmitResult r = client.submit(SignedSubmission.sign(signer, id, payload, System.currentTimeMillis()));
        if (query.json) {
          Map<String, Object> m = json(r.entry());
          m.put("threshold", r.threshold());
          m.put("message", r.message());
          out.println(Output.json(m));
        } else {
          out.printf("entry %d: %s%n", r.entry().seq(), r.message());
          r.entry().details().forEach((k, v) -> out.printf("  %-20s %s%n", k, v));
        }
      });
    }
  }
}
