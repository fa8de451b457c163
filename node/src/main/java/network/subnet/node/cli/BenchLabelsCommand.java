package network.subnet.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.labels.SyntheticSoftLabels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code subnet bench labels}: soft-label wire size, log-prob error and codec speed, RAW and COMPACT side by side on
 * synthetic data (see {@link SyntheticSoftLabels}), or on real teacher output ({@code --from}, the JSON lines that
 * {@code subnet teacher} prints, one blob per line as a miner would send it). Speeds are in MB/s of raw-equivalent data (8 bytes per entry), the
 * median of several timed runs after a warm-up, on the calling thread, timed in thread CPU time (so other load on a
 * shared machine does not count against the codec) where the JVM supports it.
 */
@Command(
    name = "labels",
    mixinStandardHelpOptions = true,
    description = "Measure soft-label payload size, log-prob error and codec speed (RAW vs COMPACT).")
public final class BenchLabelsCommand implements Callable<Integer> {

  static final int VOCAB = 32_768;

  @Spec CommandSpec spec;

  @Option(names = "--positions", defaultValue = "1024", description = "Positions per blob (default ${DEFAULT-VALUE}).")
  int positions;

  @Option(names = "--k", defaultValue = "64", description = "Top-k entries per position (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic data (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--runs", defaultValue = "7", description = "Timed runs per measurement (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--warmup-ms",
      defaultValue = "300",
      description = "Minimum warm-up time per measurement (default ${DEFAULT-VALUE}).")
  long warmUpMs;

  @Option(
      names = "--from",
      paramLabel = "FILE",
      description = "Measure on soft labels from FILE (JSON lines as `subnet teacher` prints them) instead of synthetic"
          + " data; each line is one blob.")
  Path from;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  /** One row of the report. */
  public record Row(
      String data, String format, double bytesPerEntry, double maxAbsError, double encodeMBps, double decodeMBps) {}

  @Override
  public Integer call() throws Exception {
    if (positions < 1 || k < 1 || runs < 1 || k > VOCAB / 2 || warmUpMs < 0) {
      throw new IllegalArgumentException(
          "need --positions >= 1, 1 <= --k <= " + VOCAB / 2 + ", --runs >= 1, --warmup-ms >= 0");
    }
    Map<String, Object> report = new LinkedHashMap<>();
    List<Row> rows;
    String title;
    if (from != null) {
      List<SoftLabels> blobs = readTeacherOutput(from);
      long total = blobs.stream().mapToLong(SoftLabels::positions).sum();
      rows = measurePair(from.getFileName().toString(), blobs, runs, warmUpMs);
      report.put("from", from.toString());
      report.put("blobs", blobs.size());
      report.put("positions", total);
      report.put("k", blobs.get(0).topK());
      title = String.format("soft labels: %d blobs from %s, %d positions x k %d", blobs.size(), from, total,
          blobs.get(0).topK());
    } else {
      rows = measureAll(positions, k, seed, runs, warmUpMs);
      report.put("positions", positions);
      report.put("k", k);
      report.put("vocab", VOCAB);
      report.put("seed", seed);
      title = String.format("soft labels: %d positions x k %d, vocab %d, seed %d", positions, k, VOCAB, seed);
    }
    report.put("rows", rows);
    BenchReport.print(spec.commandLine().getOut(), json, report, out -> {
      out.println(title);
      out.printf(
          "%-22s %-8s %12s %14s %12s %12s%n", "data", "format", "bytes/entry", "max |err| nat", "enc MB/s", "dec MB/s");
      for (Row r : rows) {
        out.printf(
            "%-22s %-8s %12.3f %14.3g %12.1f %12.1f%n",
            r.data(), r.format(), r.bytesPerEntry(), r.maxAbsError(), r.encodeMBps(), r.decodeMBps());
      }
    });
    return 0;
  }

  /** Measures both formats on each synthetic data set. */
  public static List<Row> measureAll(int positions, int k, long seed, int runs, long warmUpMs) {
    Map<String, SoftLabels> sets = new LinkedHashMap<>();
    sets.put("zipf-shared", SyntheticSoftLabels.realistic(positions, k, VOCAB, false, seed));
    sets.put("zipf-shared-freq-ids", SyntheticSoftLabels.realistic(positions, k, VOCAB, true, seed));
    sets.put("uniform-ids", SyntheticSoftLabels.uniformIds(positions, k, VOCAB, seed));
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, SoftLabels> set : sets.entrySet()) {
      rows.addAll(measurePair(set.getKey(), List.of(set.getValue()), runs, warmUpMs));
    }
    return rows;
  }

  private static List<Row> measurePair(String data, List<SoftLabels> blobs, int runs, long warmUpMs) {
    return List.of(
        measure(data, "raw", SoftLabelCodec.FORMAT_RAW, blobs, runs, warmUpMs),
        measure(data, "compact", SoftLabelCodec.FORMAT_COMPACT, blobs, runs, warmUpMs));
  }

  /** Packs each of {@code blobs} on its own, as miners send them, and measures the set as a whole. */
  static Row measure(String data, String formatName, int format, List<SoftLabels> blobs, int runs, long warmUpMs) {
    long entries = 0;
    long bytes = 0;
    double maxError = 0;
    List<PackedSoftLabels> packed = new ArrayList<>();
    for (SoftLabels labels : blobs) {
      PackedSoftLabels blob = SoftLabelCodec.encode(labels, format);
      packed.add(blob);
      entries += (long) labels.positions() * labels.topK();
      bytes += blob.packed().length;
      SoftLabels back = SoftLabelCodec.decode(blob);
      for (int p = 0; p < labels.positions(); p++) {
        if (!Arrays.equals(labels.tokenIds()[p], back.tokenIds()[p])) {
          throw new IllegalStateException(formatName + " did not round-trip the token ids at position " + p);
        }
        for (int j = 0; j < labels.topK(); j++) {
          maxError = Math.max(maxError, Math.abs((double) labels.logProbs()[p][j] - back.logProbs()[p][j]));
        }
      }
    }
    double rawMb = entries * 8 / 1e6;
    double encodeSeconds =
        BenchTimer.medianSeconds(() -> blobs.stream().map(b -> SoftLabelCodec.encode(b, format)).toList(), runs, warmUpMs, 5);
    double decodeSeconds = BenchTimer.medianSeconds(() -> packed.stream().map(SoftLabelCodec::decode).toList(), runs, warmUpMs, 5);
    return new Row(data, formatName, (double) bytes / entries, maxError, rawMb / encodeSeconds, rawMb / decodeSeconds);
  }

  /**
   * Reads {@code subnet teacher} output: one JSON object per line, {@code {"ids": [...], "topk": [{"ids": [...],
   * "logprobs": [...]}, ...]}}; each line becomes one blob of soft labels.
   */
  static List<SoftLabels> readTeacherOutput(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<SoftLabels> blobs = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file)) {
      String line;
      int lineNo = 0;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        blobs.add(teacherLine(mapper.readTree(line), file, lineNo));
      }
    }
    if (blobs.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no soft labels");
    }
    return blobs;
  }

  private static SoftLabels teacherLine(JsonNode root, Path file, int lineNo) {
    JsonNode topk = root.path("topk");
    if (!topk.isArray() || topk.isEmpty()) {
      throw new IllegalArgumentException(file + " line " + lineNo + ": no \"topk\" list of positions");
    }
    int positions = topk.size();
    int[][] ids = new int[positions][];
    float[][] logProbs = new float[positions][];
    for (int p = 0; p < positions; p++) {
      JsonNode idList = topk.get(p).path("ids");
      JsonNode lpList = topk.get(p).path("logprobs");
      if (!idList.isArray() || idList.size() != lpList.size() || idList.size() != topk.get(0).path("ids").size()) {
        throw new IllegalArgumentException(file + " line " + lineNo + " position " + p
            + ": \"ids\" and \"logprobs\" must be lists of one length k, the same at every position");
      }
      ids[p] = new int[idList.size()];
      logProbs[p] = new float[idList.size()];
      for (int j = 0; j < idList.size(); j++) {
        ids[p][j] = idList.get(j).asInt();
        logProbs[p][j] = (float) lpList.get(j).asDouble();
      }
    }
    return new SoftLabels(ids, logProbs);
  }
}
