package network.subnet.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.identity.KeyAccess;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.KeyFileException;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.Passphrase;
import network.subnet.node.identity.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code subnet keys new|show|encrypt|decrypt}: creates a node key file (optionally encrypted with a
 * passphrase) and prints its public key; the secret is never printed.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, show, encrypt or decrypt this node's Ed25519 key.",
    subcommands = {KeysCommand.New.class, KeysCommand.Show.class, KeysCommand.Encrypt.class, KeysCommand.Decrypt.class})
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
    throw new ParameterException(spec.commandLine(), "missing subcommand: new, show, encrypt or decrypt");
  }

  Path keyPath(Path given) {
    return given != null ? given : SubnetHome.resolve(env, userHome).keyFile();
  }

  private static int fail(CommandSpec spec, KeyFileException e) {
    spec.commandLine().getErr().println("error: " + e.getMessage());
    spec.commandLine().getErr().flush();
    return 1;
  }

  /** The passphrase source for this command's environment: the file if given, else the env var, else a prompt. */
  Passphrase passphrase(KeyAccessOptions options) {
    return Passphrase.resolve(options.passphraseFile(), env);
  }

  KeyAccess access(KeyAccessOptions options) {
    return new KeyAccess(passphrase(options), options.allowOpenPermissions);
  }

  @Command(name = "new", aliases = "generate", mixinStandardHelpOptions = true,
      description = "Create a new key and print its public key.")
  static final class New implements Callable<Integer> {
    @ParentCommand private KeysCommand parent;
    @Spec private CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", description = "Key file (default: $SUBNET_HOME/key).")
    private Path key;

    @Option(names = "--force", description = "Replace an existing key file (its identity is lost for good).")
    private boolean force;

    @Option(names = "--encrypt", description = "Encrypt the key with a passphrase (scrypt + AES-256-GCM).")
    private boolean encrypt;

    @Mixin private KeyAccessOptions keyAccess;

    @Override
    public Integer call() {
      Path path = parent.keyPath(key);
      try {
        char[] passphrase = encrypt ? parent.passphrase(keyAccess).get(path, true) : null;
        LocalSigner signer = KeyFile.create(path, force, passphrase);
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

    @Mixin private KeyAccessOptions keyAccess;

    @Override
    public Integer call() {
      Path path = parent.keyPath(key).toAbsolutePath();
      try {
        PublicKey publicKey = KeyFile.load(path, parent.access(keyAccess)).publicKey();
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

  @Command(name = "encrypt", mixinStandardHelpOptions = true,
      description = "Encrypt an existing key file with a passphrase, in place; prints its public key.")
  static final class Encrypt implements Callable<Integer> {
    @ParentCommand private KeysCommand parent;
    @Spec private CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", description = "Key file (default: $SUBNET_HOME/key).")
    private Path key;

    @Mixin private KeyAccessOptions keyAccess;

    @Override
    public Integer call() {
      Path path = parent.keyPath(key).toAbsolutePath();
      try {
        KeyAccess access = parent.access(keyAccess);
        char[] passphrase = access.passphrase().get(path, true);
        spec.commandLine().getOut().println(KeyFile.encrypt(path, access, passphrase).publicKey().hex());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (KeyFileException e) {
        return fail(spec, e);
      }
    }
  }

  @Command(name = "decrypt", mixinStandardHelpOptions = true,
      description = "Remove the passphrase from an encrypted key file, in place; prints its public key.")
  static final class Decrypt implements Callable<Integer> {
    @ParentCommand private KeysCommand parent;
    @Spec private CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", description = "Key file (default: $SUBNET_HOME/key).")
    private Path key;

    @Mixin private KeyAccessOptions keyAccess;

    @Override
    public Integer call() {
      Path path = parent.keyPath(key).toAbsolutePath();
      try {
        spec.commandLine().getOut().println(KeyFile.decrypt(path, parent.access(keyAccess)).publicKey().hex());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (KeyFileException e) {
        return fail(spec, e);
      }
    }
  }
}
