package network.subnet.validator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import network.subnet.node.cli.KeyAccessOptions;
import network.subnet.node.cli.ValidatorTrustOptions;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.transport.ChannelSecurity;
import network.subnet.node.transport.tls.TlsIdentity;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.admin.AdminClient;
import network.subnet.validator.epoch.EpochRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code subnet admin ...}: operator calls to a running validator, signed with the validator's own
 * key file. On the validator's machine the TLS certificate in {@code $SUBNET_HOME/tls} is pinned
 * without being named.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Operate a running validator: close the epoch, ban or unban miner keys, read or set its settings.",
    subcommands = {
      AdminCommand.CloseEpoch.class,
      AdminCommand.Ban.class,
      AdminCommand.Unban.class,
      AdminCommand.Config.class
    })
public final class AdminCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: close-epoch, ban, unban or config");
  }

  /** Where the validator is, which key signs, and how it is trusted. */
  static final class Connection {
    @Option(
        names = "--validator",
        paramLabel = "HOST:PORT",
        defaultValue = "127.0.0.1:" + ValidatorConfig.DEFAULT_PORT,
        description = "The validator's address (default: ${DEFAULT-VALUE}).")
    String validator;

    @Option(names = "--key", paramLabel = "FILE",
        description = "The validator's own key file (default: $SUBNET_HOME/key).")
    Path key;

    @Option(names = "--tls-dir", paramLabel = "DIR",
        description = "The validator's TLS directory, whose certificate is pinned when no fingerprint is given"
            + " (default: $SUBNET_HOME/tls).")
    Path tlsDir;

    @Mixin ValidatorTrustOptions trust;

    @Mixin KeyAccessOptions keyAccess;

    AdminClient connect() {
      SubnetHome home = SubnetHome.fromEnvironment();
      Path dir = tlsDir != null ? tlsDir : home.tlsDir();
      String local = Files.exists(dir.resolve(TlsIdentity.CERT_FILE)) ? TlsIdentity.load(dir).fingerprint() : null;
      ChannelSecurity security = trust.security(local);
      return AdminClient.connect(validator, KeyFile.load(key != null ? key : home.keyFile(), keyAccess.access()), security);
    }
  }

  /** Runs {@code body} against the validator; failures become one line on stderr and exit code 1. */
  private static int run(CommandSpec spec, Connection connection, Function<AdminClient, String> body) {
    try (AdminClient client = connection.connect()) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(body.apply(client));
      out.flush();
      return 0;
    } catch (ParameterException e) {
      throw e;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println(Output.error(e, connection.validator));
      spec.commandLine().getErr().flush();
      return 1;
    }
  }

  @Command(name = "close-epoch", mixinStandardHelpOptions = true,
      description = "Close the open epoch now and print its signed record.")
  static final class CloseEpoch implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection;

    @Override
    public Integer call() {
      return run(spec, connection, client -> {
        EpochRecord r = client.closeEpoch();
        return "epoch " + r.epoch() + " closed: " + r.entries().size() + " miners, " + r.totalCredits()
            + " credits, signature " + (r.verify() ? "valid" : "INVALID");
      });
    }
  }

  @Command(name = "ban", mixinStandardHelpOptions = true,
      description = "Ban a miner key: its calls get PERMISSION_DENIED until unbanned (kept across restarts).")
  static final class Ban implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection;
    @Parameters(paramLabel = "KEY", description = "The miner's hex public key.")
    String key;

    @Override
    public Integer call() {
      PublicKey miner = parseKey(spec, key);
      return run(spec, connection, client -> {
        AdminClient.BanState s = client.ban(miner);
        return (s.changed() ? "banned " : "already banned: ") + miner.hex() + " (" + s.banned().size() + " banned)";
      });
    }
  }

  @Command(name = "unban", mixinStandardHelpOptions = true, description = "Lift the ban on a miner key.")
  static final class Unban implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection;
    @Parameters(paramLabel = "KEY", description = "The miner's hex public key.")
    String key;

    @Override
    public Integer call() {
      PublicKey miner = parseKey(spec, key);
      return run(spec, connection, client -> {
        AdminClient.BanState s = client.unban(miner);
        return (s.changed() ? "unbanned " : "was not banned: ") + miner.hex() + " (" + s.banned().size() + " banned)";
      });
    }
  }

  @Command(name = "config", mixinStandardHelpOptions = true,
      description = "Print the validator's settings, or with NAME VALUE change one that can change while running.")
  static final class Config implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection;
    @Parameters(arity = "0..2", paramLabel = "NAME VALUE", description = "Setting and its new value.")
    List<String> assignment = List.of();

    @Override
    public Integer call() {
      if (assignment.size() == 1) {
        throw new ParameterException(spec.commandLine(), "config takes no argument, or NAME VALUE; got only NAME");
      }
      return run(spec, connection, client -> {
        AdminClient.Settings s = assignment.isEmpty()
            ? client.config()
            : client.setConfig(assignment.get(0), assignment.get(1));
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(s.values()).entrySet()) {
          text.append(String.format("%-24s %s%s%n", e.getKey(), e.getValue(),
              s.settable().contains(e.getKey()) ? "   (settable)" : ""));
        }
        return text.toString().stripTrailing();
      });
    }
  }

  private static PublicKey parseKey(CommandSpec spec, String hex) {
    try {
      return PublicKey.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "KEY '" + hex + "' is not a hex Ed25519 public key: " + e.getMessage());
    }
  }
}
