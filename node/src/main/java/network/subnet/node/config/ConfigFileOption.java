package network.subnet.node.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option, as a mixin for the root command. {@link SubnetDefaults} finds the file before
 * parsing (defaults are needed while parsing); this field makes the option known to picocli and its help.
 */
public final class ConfigFileOption {

  @Option(
      names = SubnetDefaults.CONFIG_OPTION,
      paramLabel = "FILE",
      description = "Configuration file: 'option-name = value' lines, or YAML (*.yaml, *.yml) or TOML (*.toml) "
          + "(env: " + SubnetDefaults.CONFIG_ENV + ").")
  private Path configFile;

  public Path configFile() {
    return configFile;
  }
}
