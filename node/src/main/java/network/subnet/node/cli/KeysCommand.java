package network.subnet.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.KeyFileException;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code subnet keys new|show}: creates a node key file and prints its public key; the secret is never printed. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create or show this node's Ed25519 key.",
    subcommands = {KeysCommand.New.class, KeysCommand.Show.class})
public final class KeysCommand implements Runnable {

  @Spec private CommandSpec spec;

  private final Map<String, String> env;
  private final String userHome;

  public KeysCommand() {
    this(System.getenv(), System.getProperty("user.home"));
  }

  /** With a given environment and home directory, for tests and embedding. */
  public KeysCommand(Map<String, String> env, String userHome) {
    this.env = Map.copyOf(env);
    this.userHome = userHome;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: new or show");
  }

  Path keyPath(Path given) {
    return given != null ? given : SubnetHome.resolve(env, userHome).keyFile();
  }

  private static int fail(CommandSpec spec, KeyFileException e) {
    spec.commandLine().getErr().println("error: " + e.getMessage());
    spec.commandLine().getErr().flush();
    return 1;
  }

  @Command(name = "new", mixinStandardHelpOptions = true, description = "Create a new key and print its public key.")
  static final class New implements Callable<Integer> {
    @ParentCommand private KeysCommand parent;
    @Spec private CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", description = "Key file (default: $SUBNET_HOME/key).")
    private Path key;

    @Option(names = "--force", description = "Replace an existing key file (its identity is lost for good).")
    private boolean force;

    @Override
    public Integer call() {
      Path path = parent.keyPath(key);
      try {
        LocalSigner signer = KeyFile.create(path, force);
        spec.commandLine().getOut().println(signer.publicKey().hex());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (KeyFileException e) {
        return fail(spec, e);
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the public key of a key file.")
  static final class Show implements Callable<Integer> {
    @ParentCommand private KeysCommand parent;
    @Spec private CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", description = "Key file (default: $SUBNET_HOME/key).")
    private Path key;

    @Option(names = "--json", description = "Print a JSON object with publicKey and keyFile instead of bare hex.")
    private boolean json;

    @Override
    public Integer call() {
      Path path = parent.keyPath(key).toAbsolutePath();
      try {
        PublicKey publicKey = KeyFile.load(path).publicKey();
        String out = json ? toJson(publicKey, path) : publicKey.hex();
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return 0;
      } catch (KeyFileException e) {
        return fail(spec, e);
      }
    }

    private static String toJson(PublicKey publicKey, Path path) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("publicKey", publicKey.hex());
      fields.put("keyFile", path.toString());
      try {
        return new ObjectMapper().writeValueAsString(fields);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a map of two strings always serializes", e);
      }
    }
  }
}
