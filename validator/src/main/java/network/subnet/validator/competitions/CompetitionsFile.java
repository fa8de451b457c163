package network.subnet.validator.competitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import network.subnet.node.compete.ImprovementRule;

/**
 * Reads the competitions a validator hosts from a JSON file:
 *
 * <pre>{@code
 * {"competitions": [
 *   {"id": "apex-1", "scorer": "matrix-compression", "dataset": "matrices/", "scoreToBeat": 1300000,
 *    "improvement": 0.01, "opens": "2026-01-01T00:00:00Z", "closes": "2026-12-31T00:00:00Z",
 *    "description": "..."}]}
 * }</pre>
 *
 * A relative dataset path is taken from the file's directory. {@code improvement} defaults to 1%; {@code opens} and
 * {@code closes} (ISO-8601 instants or epoch milliseconds) default to always open.
 */
public final class CompetitionsFile {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("id", "scorer", "dataset", "scoreToBeat", "improvement", "opens", "closes", "description");

  private CompetitionsFile() {}

  public static List<CompetitionDefinition> read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("competitions file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("competitions file " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.path("competitions").isArray()) {
      throw new IllegalArgumentException("competitions file " + file + " needs a \"competitions\" array");
    }
    Path base = file.toAbsolutePath().getParent();
    List<CompetitionDefinition> out = new ArrayList<>();
    int i = 0;
    for (JsonNode c : root.get("competitions")) {
      String where = file + ": competitions[" + i++ + "]";
      if (!c.isObject()) {
        throw new IllegalArgumentException(where + " is not an object");
      }
      c.fieldNames().forEachRemaining(name -> {
        if (!FIELDS.contains(name)) {
          throw new IllegalArgumentException(where + " has unknown field \"" + name + "\" (known: " + FIELDS + ")");
        }
      });
      try {
        out.add(new CompetitionDefinition(
            text(c, "id", where),
            text(c, "scorer", where),
            base.resolve(text(c, "dataset", where)).normalize(),
            number(c, "scoreToBeat", where),
            c.has("improvement") ? number(c, "improvement", where) : ImprovementRule.DEFAULT_MARGIN,
            time(c, "opens", 0, where),
            time(c, "closes", Long.MAX_VALUE, where),
            c.path("description").asText("")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage().startsWith(file.toString()) ? e.getMessage()
            : where + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static String text(JsonNode c, String field, String where) {
    JsonNode v = c.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + " needs a \"" + field + "\" string");
    }
    return v.asText();
  }

  private static double number(JsonNode c, String field, String where) {
    JsonNode v = c.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException(where + " needs a \"" + field + "\" number");
    }
    return v.asDouble();
  }

  private static long time(JsonNode c, String field, long absent, String where) {
    JsonNode v = c.get(field);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    try {
      return Instant.parse(v.asText()).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          where + ": \"" + field + "\" must be an ISO-8601 instant or epoch milliseconds, got " + v);
    }
  }
}
