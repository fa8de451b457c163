package network.subnet.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flat configuration file: one {@code key = value} or {@code key: value} per line (so both a properties-style and
 * a YAML-style flat file read the same), {@code #} starts a comment line, values may be wrapped in quotes. Keys are
 * option names without their dashes ({@code validator-address}); underscores are read as dashes.
 */
public record ConfigFile(Path path, Map<String, String> values) {

  public ConfigFile {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static ConfigFile read(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e, e);
    }
    return parse(path, text);
  }

  static ConfigFile parse(Path path, String text) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.equals("---")) {
        continue;
      }
      int sep = separator(line);
      if (sep <= 0) {
        throw new ConfigException(
            "config file " + path + " line " + (i + 1) + ": expected 'key = value' or 'key: value', got '" + line
                + "'");
      }
      String key = normalizeKey(line.substring(0, sep));
      if (!key.matches("[a-z0-9][a-z0-9.-]*")) {
        throw new ConfigException("config file " + path + " line " + (i + 1) + ": '" + key + "' is not an option name");
      }
      if (values.put(key, unquote(line.substring(sep + 1).strip())) != null) {
        throw new ConfigException("config file " + path + " line " + (i + 1) + ": '" + key + "' is set twice");
      }
    }
    return new ConfigFile(path, values);
  }

  static String normalizeKey(String key) {
    String k = key.strip().replace('_', '-');
    while (k.startsWith("-")) {
      k = k.substring(1);
    }
    return k;
  }

  /** The first '=' or ':' splits key from value; a key never contains either, a value (host:port) may. */
  private static int separator(String line) {
    int eq = line.indexOf('=');
    int colon = line.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }

  private static String unquote(String value) {
    if (value.length() >= 2) {
      char first = value.charAt(0);
      if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
        return value.substring(1, value.length() - 1);
      }
    }
    return value;
  }
}
