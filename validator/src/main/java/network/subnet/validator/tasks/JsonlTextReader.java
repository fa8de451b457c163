package network.subnet.validator.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * JSON Lines: one object per line with a string {@code text} field and an optional {@code id} (string or number,
 * FineWeb's document id); blank lines are skipped.
 */
public final class JsonlTextReader implements TextReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void read(Path file, Consumer<TextDocument> visitor) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String location = file + ":" + number;
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new IOException(location + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode text = node == null ? null : node.get("text");
        if (text == null || !text.isTextual()) {
          throw new IOException(location + ": expected an object with a string \"text\" field");
        }
        JsonNode id = node.get("id");
        if (id != null && !id.isNull() && !id.isTextual() && !id.isIntegralNumber()) {
          throw new IOException(location + ": \"id\" must be a string or an integer, got " + id.getNodeType());
        }
        String documentId = id == null || id.isNull() ? location : id.asText();
        visitor.accept(new TextDocument(documentId, location, text.asText()));
      }
    }
  }
}
