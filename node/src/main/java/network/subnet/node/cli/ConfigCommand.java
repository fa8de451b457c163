package network.subnet.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import network.subnet.node.config.EffectiveConfig;
import network.subnet.node.config.SubnetDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code subnet config print}: the configuration a command would run with, and where each value comes from. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Show the effective configuration.",
    subcommands = {ConfigCommand.Print.class})
public final class ConfigCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: print");
  }

  /** Prints every option of the named commands with its value and source. */
  @Command(
      name = "print",
      mixinStandardHelpOptions = true,
      description = "Print each option's effective value and its source: flag, env (SUBNET_*), file (--config or "
          + "$SUBNET_CONFIG) or default.",
      footer = {
        "",
        "Flags to weigh go after '--': subnet config print validator -- --port 7000",
        "Without COMMAND: the validator and the miner."
      })
  static final class Print implements Callable<Integer> {

    static final List<String> DEFAULT_COMMANDS = List.of("validator", "miner");

    @Spec private CommandSpec spec;

    @Option(names = "--json", description = "One JSON object: command -> list of {option, key, value, source, from}.")
    boolean json;

    @Parameters(index = "0", arity = "0..1", paramLabel = "COMMAND", description = "The command to show.")
    String command;

    @Parameters(index = "1..*", paramLabel = "FLAGS", description = "That command's flags, after '--'.")
    List<String> flags = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      CommandSpec root = spec.root();
      SubnetDefaults defaults = spec.defaultValueProvider() instanceof SubnetDefaults d
          ? d
          : new SubnetDefaults(System.getenv(), Optional.empty());
      List<String> names = command != null ? List.of(command)
          : DEFAULT_COMMANDS.stream().filter(root.subcommands()::containsKey).toList();
      Map<String, List<EffectiveConfig.Entry>> all = new LinkedHashMap<>();
      for (String name : names) {
        CommandLine sub = root.subcommands().get(name);
        if (sub == null || name.equals(spec.parent().name())) {
          return usageError("no command '" + name + "'; one of: " + String.join(", ", root.subcommands().keySet()));
        }
        try {
          all.put(name, EffectiveConfig.of(sub.getCommandSpec(), flags, defaults));
        } catch (ParameterException e) {
          return usageError(name + ": " + e.getMessage());
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(toJson(all));
      } else {
        all.forEach((name, entries) -> printTable(out, name, entries));
      }
      out.flush();
      return 0;
    }

    /** Exit code 2, as picocli gives for a bad command line. */
    private int usageError(String message) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: " + message);
      err.flush();
      return 2;
    }

    private static String toJson(Map<String, List<EffectiveConfig.Entry>> all) throws Exception {
      Map<String, List<Map<String, String>>> tree = new LinkedHashMap<>();
      all.forEach((name, entries) -> tree.put(name, entries.stream().map(e -> {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("option", e.option());
        m.put("key", e.key());
        m.put("value", e.value());
        m.put("source", e.source().name().toLowerCase(Locale.ROOT));
        m.put("from", e.where());
        return m;
      }).toList()));
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree);
    }

    private static void printTable(PrintWriter out, String name, List<EffectiveConfig.Entry> entries) {
      int optionWidth = entries.stream().mapToInt(e -> e.option().length()).max().orElse(0);
      int valueWidth = Math.min(48, entries.stream().mapToInt(e -> e.value().length()).max().orElse(0));
      out.println(name);
      for (EffectiveConfig.Entry e : entries) {
        String source = e.source().name().toLowerCase(Locale.ROOT) + (e.where().isEmpty() ? "" : " " + e.where());
        out.printf("  %-" + optionWidth + "s  %-" + Math.max(1, valueWidth) + "s  %s%n", e.option(),
            e.value().isEmpty() ? "-" : e.value(), source);
      }
    }
  }
}
