package network.subnet.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.TypeConversionException;

/**
 * The log layout: {@code text} for people, {@code json} for log shippers. It must be chosen before the first logger
 * exists, so {@link #select} reads {@code --log-format} from the raw arguments (else {@code SUBNET_LOG_FORMAT}) and
 * hands it to {@code logback.xml} as a system property; the picocli option below only makes the flag known to every
 * command and its help, and rejects a value that is neither.
 */
public final class LogFormat {

  public static final String ENV = "SUBNET_LOG_FORMAT";
  public static final String OPTION = "--log-format";

  /** The layouts logback.xml knows (appender names). */
  public enum Layout {
    text,
    json
  }

  @Option(
      names = OPTION,
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      converter = LayoutConverter.class,
      description = "Log layout on stderr: text or json (env: " + ENV + "; default: text).")
  Layout layout;

  /**
   * The layout named by {@code --log-format} (before {@code --}) or {@code SUBNET_LOG_FORMAT}; text when neither
   * names a known one (picocli then reports a bad flag value).
   */
  public static Layout select(String[] args, Map<String, String> env) {
    String chosen = env.get(ENV);
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals(OPTION) && i + 1 < args.length) {
        chosen = args[i + 1];
      } else if (args[i].startsWith(OPTION + "=")) {
        chosen = args[i].substring(OPTION.length() + 1);
      }
    }
    if (chosen == null) {
      return Layout.text;
    }
    try {
      return parse(chosen);
    } catch (IllegalArgumentException e) {
      return Layout.text;
    }
  }

  /** text or json, in any case. */
  static Layout parse(String value) {
    return Layout.valueOf(value.strip().toLowerCase(Locale.ROOT));
  }

  /** Case-insensitive, so {@code SUBNET_LOG_FORMAT=JSON} reads as the flag does; names the choices otherwise. */
  static final class LayoutConverter implements ITypeConverter<Layout> {
    @Override
    public Layout convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected text or json, got '" + value + "'");
      }
    }
  }

  /** Selects the layout and publishes it for logback.xml; call before anything logs. */
  public static Layout install(String[] args, Map<String, String> env) {
    Layout layout = select(args, env);
    System.setProperty(ENV, layout.name());
    return layout;
  }
}
