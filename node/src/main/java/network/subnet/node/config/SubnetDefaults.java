package network.subnet.node.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one place where configuration precedence is decided. For every option, in order:
 *
 * <ol>
 *   <li>the flag on the command line (picocli never asks a default provider for an option that was given);
 *   <li>the environment variable {@code SUBNET_<OPTION_NAME>} ({@code --validator-address} reads {@code
 *       SUBNET_VALIDATOR_ADDRESS});
 *   <li>the config file named by {@code --config FILE} or {@code $SUBNET_CONFIG}, keyed by the option name without
 *       dashes ({@code validator-address = host:port});
 *   <li>the option's annotated default, or else the {@code DEFAULT_*} constant its field starts with (returning
 *       null here lets picocli fall through to both).
 * </ol>
 *
 * <p>Usage: {@code SubnetDefaults.install(commandLine, args, System.getenv())} once the command tree is built,
 * then {@code commandLine.execute(args)}; or {@link #execute} for both with config errors reported.
 */
public final class SubnetDefaults implements CommandLine.IDefaultValueProvider {

  public static final String ENV_PREFIX = "SUBNET_";
  public static final String CONFIG_ENV = "SUBNET_CONFIG";
  public static final String CONFIG_OPTION = "--config";

  private static final Logger LOG = LoggerFactory.getLogger(SubnetDefaults.class);

  private final Map<String, String> env;
  private final Optional<ConfigFile> configFile;

  public SubnetDefaults(Map<String, String> env, Optional<ConfigFile> configFile) {
    this.env = Map.copyOf(env);
    this.configFile = configFile;
  }

  /** Reads the config file named in {@code args} ({@code --config}) or the environment, if any. */
  public static SubnetDefaults load(String[] args, Map<String, String> env) {
    return new SubnetDefaults(env, configPath(args, env).map(ConfigFile::read));
  }

  /**
   * Loads the defaults for {@code args}, sets them on {@code commandLine} and all its subcommands, and warns (slf4j)
   * about every config-file key that is no option anywhere in the command tree. Returns those warnings.
   *
   * @throws ConfigException if the named config file is missing or malformed
   */
  public static List<String> install(CommandLine commandLine, String[] args, Map<String, String> env) {
    SubnetDefaults defaults = load(args, env);
    commandLine.setDefaultValueProvider(defaults);
    List<String> warnings = defaults.unknownKeyWarnings(commandLine.getCommandSpec());
    warnings.forEach(LOG::warn);
    return warnings;
  }

  /** {@link #install} then {@link CommandLine#execute}; a bad config file gives a message on stderr and exit code 1. */
  public static int execute(CommandLine commandLine, String[] args, Map<String, String> env) {
    try {
      install(commandLine, args, env);
    } catch (ConfigException e) {
      commandLine.getErr().println("error: " + e.getMessage());
      commandLine.getErr().flush();
      return 1;
    }
    return commandLine.execute(args);
  }

  /** {@code --config FILE} or {@code --config=FILE} anywhere before {@code --}, else {@code $SUBNET_CONFIG}. */
  static Optional<Path> configPath(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        break;
      }
      if (arg.equals(CONFIG_OPTION)) {
        if (i + 1 >= args.length) {
          throw new ConfigException(CONFIG_OPTION + " needs a file name");
        }
        return Optional.of(Path.of(args[i + 1]));
      }
      if (arg.startsWith(CONFIG_OPTION + "=")) {
        return Optional.of(Path.of(arg.substring(CONFIG_OPTION.length() + 1)));
      }
    }
    String fromEnv = env.get(CONFIG_ENV);
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv.strip()));
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String key = configKey(option);
    String fromEnv = env.get(envName(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    if (option.longestName().equals(CONFIG_OPTION)) {
      return null;
    }
    return configFile.map(f -> f.values().get(key)).orElse(null);
  }

  /** Where an option's value comes from, in precedence order. */
  public enum Source {
    FLAG,
    ENV,
    FILE,
    DEFAULT
  }

  /** The source of an option's value and, for env and file, which variable or file ({@code where}). */
  public record Origin(Source source, String where) {}

  /**
   * Where {@code option} gets its value when it is not given as a flag: the environment, the config file or its
   * default. Mirrors {@link #defaultValue} step by step.
   */
  public Origin origin(OptionSpec option) {
    String key = configKey(option);
    String var = envName(key);
    String fromEnv = env.get(var);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Origin(Source.ENV, var);
    }
    if (!option.longestName().equals(CONFIG_OPTION)
        && configFile.isPresent() && configFile.get().values().containsKey(key)) {
      return new Origin(Source.FILE, configFile.get().path().toString());
    }
    return new Origin(Source.DEFAULT, "");
  }

  /** The option's longest name without dashes: {@code --validator-address} -> {@code validator-address}. */
  public static String configKey(OptionSpec option) {
    return ConfigFile.normalizeKey(option.longestName());
  }

  /** {@code validator-address} -> {@code SUBNET_VALIDATOR_ADDRESS}. */
  public static String envName(String configKey) {
    return ENV_PREFIX + configKey.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
  }

  public Optional<ConfigFile> configFile() {
    return configFile;
  }

  /** One warning per config-file key that matches no option of {@code root} or any of its subcommands. */
  public List<String> unknownKeyWarnings(CommandSpec root) {
    List<String> warnings = new ArrayList<>();
    if (configFile.isEmpty()) {
      return warnings;
    }
    Set<String> known = new TreeSet<>();
    collectKeys(root, known);
    for (String key : configFile.get().values().keySet()) {
      if (!known.contains(key)) {
        warnings.add("config file " + configFile.get().path() + ": unknown key '" + key + "' (ignored; no option --"
            + key + ")");
      }
    }
    return warnings;
  }

  private static void collectKeys(CommandSpec spec, Set<String> known) {
    for (OptionSpec option : spec.options()) {
      known.add(configKey(option));
    }
    for (CommandLine sub : spec.subcommands().values()) {
      collectKeys(sub.getCommandSpec(), known);
    }
  }
}
