package network.subnet.node.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A configuration file. Keys are option names without their dashes ({@code validator-address}); underscores are read
 * as dashes. Three syntaxes, by file name:
 *
 * <ul>
 *   <li>{@code *.yaml}, {@code *.yml}: YAML; {@code *.toml}: TOML. Tables (sections such as {@code [validator]})
 *       only group options, their names are not part of the key; lists become comma-separated values, as a
 *       repeatable flag takes them. A key set in two sections is refused.
 *   <li>anything else: one {@code key = value} or {@code key: value} per line (so a properties-style and a flat
 *       YAML-style file read the same), {@code #} starts a comment line, values may be wrapped in quotes.
 * </ul>
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
    String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return parseTree(path, text, new YAMLMapper());
    }
    if (name.endsWith(".toml")) {
      return parseTree(path, text, new TomlMapper());
    }
    return parse(path, text);
  }

  /** YAML or TOML: a tree of tables whose leaves are the options. */
  static ConfigFile parseTree(Path path, String text, ObjectMapper mapper) {
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
      throw new ConfigException("config file " + path + where + ": " + e.getOriginalMessage(), e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> sections = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new ConfigFile(path, values);
    }
    if (!root.isObject()) {
      throw new ConfigException("config file " + path + ": expected option names mapped to values, got a "
          + root.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    flatten(path, root, "", values, sections);
    return new ConfigFile(path, values);
  }

  private static void flatten(
      Path path, JsonNode table, String section, Map<String, String> values, Map<String, String> sections) {
    for (Map.Entry<String, JsonNode> field : table.properties()) {
      JsonNode value = field.getValue();
      String at = section.isEmpty() ? field.getKey() : section + "." + field.getKey();
      if (value.isObject()) {
        flatten(path, value, at, values, sections);
        continue;
      }
      String key = normalizeKey(field.getKey());
      if (!key.matches("[a-z0-9][a-z0-9.-]*")) {
        throw new ConfigException("config file " + path + ": '" + at + "' is not an option name");
      }
      String previous = sections.put(key, at);
      if (previous != null) {
        throw new ConfigException("config file " + path + ": '" + key + "' is set twice (" + previous + " and " + at
            + ")");
      }
      values.put(key, scalarOrList(path, at, value));
    }
  }

  private static String scalarOrList(Path path, String at, JsonNode value) {
    if (value.isNull()) {
      return "";
    }
    if (value.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode item : value) {
        if (item.isContainerNode()) {
          throw new ConfigException("config file " + path + ": '" + at + "' must be a value or a list of values");
        }
        parts.add(item.asText());
      }
      return String.join(",", parts);
    }
    return value.asText();
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
