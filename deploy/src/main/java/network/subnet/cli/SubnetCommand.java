package network.subnet.cli;

import java.util.Map;
import network.subnet.cli.bench.BenchIntakeCommand;
import network.subnet.cli.bench.BenchLoadCommand;
import network.subnet.cli.devnet.DevnetCommand;
import network.subnet.miner.cli.BenchTeacherCommand;
import network.subnet.miner.cli.CalibrateCommand;
import network.subnet.miner.cli.MinerCommand;
import network.subnet.miner.cli.ModelCommand;
import network.subnet.miner.cli.TeacherCommand;
import network.subnet.node.cli.BenchCodecCommand;
import network.subnet.node.cli.BenchLabelsCommand;
import network.subnet.node.cli.CodecCommand;
import network.subnet.node.cli.ConfigCommand;
import network.subnet.node.cli.KeysCommand;
import network.subnet.node.cli.ScoreCommand;
import network.subnet.node.config.ConfigFileOption;
import network.subnet.node.config.SubnetDefaults;
import network.subnet.validator.cli.CompetitionsCommand;
import network.subnet.validator.cli.ExportCommand;
import network.subnet.validator.cli.AdminCommand;
import network.subnet.validator.cli.LeaderboardCommand;
import network.subnet.validator.cli.RewardsCommand;
import network.subnet.validator.cli.ValidatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code subnet <command>}. Each role's command lives in its own module; this only assembles. */
@Command(
    name = "subnet",
    mixinStandardHelpOptions = true,
    version = "subnet 0.1.0",
    description = "A node for a decentralized ML compute network: validator, miner, keys, rewards and a local devnet.",
    synopsisSubcommandLabel = "COMMAND")
public final class SubnetCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ConfigFileOption configFile;

  @CommandLine.Mixin LogFormat logFormat;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the full command tree; tests call this to run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine bench =
        new CommandLine(new BenchCommand())
            .addSubcommand(new BenchTeacherCommand())
            .addSubcommand(new BenchLabelsCommand())
            .addSubcommand(new BenchCodecCommand())
            .addSubcommand(new BenchIntakeCommand())
            .addSubcommand(new BenchLoadCommand());
    CommandLine root = new CommandLine(new SubnetCommand());
    root.addSubcommand(new ValidatorCommand(TeacherReference::load));
    root.addSubcommand(new MinerCommand());
    root.addSubcommand(new DevnetCommand());
    root.addSubcommand(new RewardsCommand());
    root.addSubcommand(new LeaderboardCommand());
    root.addSubcommand(new ExportCommand());
    root.addSubcommand(new AdminCommand());
    root.addSubcommand(new KeysCommand());
    root.addSubcommand(new ModelCommand());
    root.addSubcommand(new TeacherCommand());
    root.addSubcommand(new CalibrateCommand());
    root.addSubcommand(new CodecCommand());
    root.addSubcommand(new CompetitionsCommand());
    root.addSubcommand(new ScoreCommand());
    root.addSubcommand(new ConfigCommand());
    root.addSubcommand(bench);
    return root;
  }

  /** Runs a command line with options filled by precedence: flags, SUBNET_* env, config file, defaults. */
  public static int execute(String[] args, Map<String, String> env) {
    return SubnetDefaults.execute(commandLine(), args, env);
  }

  public static void main(String[] args) {
    LogFormat.install(args, System.getenv());
    System.exit(execute(args, System.getenv()));
  }

  /** Groups the benchmarks. */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = "Benchmarks that print ratios measured side by side in one run.",
      synopsisSubcommandLabel = "BENCHMARK")
  public static final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }
  }
}
