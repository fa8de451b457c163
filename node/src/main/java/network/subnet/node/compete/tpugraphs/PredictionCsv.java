package network.subnet.node.compete.tpugraphs;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import network.subnet.node.compete.ScoringException;

/**
 * A TpuGraphs submission: CSV with the header {@code ID,TopConfigs} and one row per graph, e.g.
 * {@code tile:xla:alexnet_train_batch_32,4;0;2;1;3}: the graph id and config indices, best predicted first,
 * separated by {@code ;}. Errors name the line.
 */
final class PredictionCsv {

  private PredictionCsv() {}

  static Map<String, int[]> parse(byte[] csv) {
    Map<String, int[]> rows = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(new ByteArrayInputStream(csv), StandardCharsets.UTF_8))) {
      String header = in.readLine();
      if (header == null) {
        throw new ScoringException("the submission is empty; expected a CSV with the header ID,TopConfigs");
      }
      if (header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
      if (!header.strip().equals("ID,TopConfigs")) {
        throw new ScoringException("line 1: expected the header ID,TopConfigs, got '" + abbreviate(header) + "'");
      }
      String line;
      int number = 1;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.strip().split(",", -1);
        if (cells.length != 2) {
          throw new ScoringException("line " + number + ": expected 2 columns (ID,TopConfigs), got " + cells.length);
        }
        String id = cells[0].strip();
        if (id.isEmpty()) {
          throw new ScoringException("line " + number + ": empty ID");
        }
        int[] configs = indices(cells[1].strip(), number);
        if (rows.put(id, configs) != null) {
          throw new ScoringException("line " + number + ": " + id + " appears twice");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (rows.isEmpty()) {
      throw new ScoringException("the submission has a header but no rows");
    }
    return rows;
  }

  private static int[] indices(String cell, int line) {
    if (cell.isEmpty()) {
      throw new ScoringException("line " + line + ": TopConfigs is empty");
    }
    String[] parts = cell.split(";", -1);
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new ScoringException("line " + line + ": config index '" + abbreviate(parts[i]) + "' is not an integer");
      }
      if (out[i] < 0) {
        throw new ScoringException("line " + line + ": config index " + out[i] + " is negative");
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
