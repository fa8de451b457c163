package network.subnet.node.config;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The values a command would run with, and where each came from: its flags (as given to this call), then
 * {@code SUBNET_*} variables, then the config file, then defaults, exactly as {@link SubnetDefaults} decides.
 */
public final class EffectiveConfig {

  /** One option of one command. {@code where} names the variable or file for env and file sources. */
  public record Entry(String option, String key, String value, SubnetDefaults.Source source, String where) {}

  private EffectiveConfig() {}

  /**
   * Parses {@code args} against {@code command} (required options may be missing: this only reports) and returns
   * every option but help and version, in declaration order.
   *
   * @throws CommandLine.ParameterException naming a flag {@code command} does not have, or a malformed value
   */
  public static List<Entry> of(CommandSpec command, List<String> args, SubnetDefaults defaults) {
    // A copy whose options are all optional, bound to the same fields, so a missing --model is no error here.
    CommandSpec copy = CommandSpec.create().name(command.name());
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec o : command.options()) {
      OptionSpec optional = o.toBuilder().required(false).build();
      copy.addOption(optional);
      options.add(optional);
    }
    for (PositionalParamSpec p : command.positionalParameters()) {
      copy.addPositional(p.toBuilder().required(false).arity(p.arity().min(0).toString()).build());
    }
    copy.defaultValueProvider(defaults);
    ParseResult parsed = new CommandLine(copy).parseArgs(args.toArray(String[]::new));
    List<Entry> entries = new ArrayList<>();
    for (OptionSpec o : options) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      SubnetDefaults.Origin origin = parsed.hasMatchedOption(o)
          ? new SubnetDefaults.Origin(SubnetDefaults.Source.FLAG, "")
          : defaults.origin(o);
      entries.add(new Entry(o.longestName(), SubnetDefaults.configKey(o), render(o.getValue()), origin.source(),
          origin.where()));
    }
    return entries;
  }

  /** How a value reads back as a flag value: lists comma-separated, absent values empty. */
  static String render(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Optional<?> o) {
      return render(o.orElse(null));
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(EffectiveConfig::render).collect(Collectors.joining(","));
    }
    if (value.getClass().isArray()) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        parts.add(render(Array.get(value, i)));
      }
      return String.join(",", parts);
    }
    return value.toString();
  }
}
