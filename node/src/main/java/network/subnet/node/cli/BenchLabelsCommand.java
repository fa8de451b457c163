package network.subnet.node.cli;

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
 * synthetic data (see {@link SyntheticSoftLabels}). Speeds are in MB/s of raw-equivalent data (8 bytes per entry), the
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
    List<Row> rows = measureAll(positions, k, seed, runs, warmUpMs);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("positions", positions);
    report.put("k", k);
    report.put("vocab", VOCAB);
    report.put("seed", seed);
    report.put("rows", rows);
    BenchReport.print(spec.commandLine().getOut(), json, report, out -> {
      out.printf("soft labels: %d positions x k %d, vocab %d, seed %d%n", positions, k, VOCAB, seed);
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
      rows.add(measure(set.getKey(), "raw", SoftLabelCodec.FORMAT_RAW, set.getValue(), runs, warmUpMs));
      rows.add(measure(set.getKey(), "compact", SoftLabelCodec.FORMAT_COMPACT, set.getValue(), runs, warmUpMs));
    }
    return rows;
  }

  static Row measure(String data, String formatName, int format, SoftLabels labels, int runs, long warmUpMs) {
    long entries = (long) labels.positions() * labels.topK();
    PackedSoftLabels packed = SoftLabelCodec.encode(labels, format);
    SoftLabels back = SoftLabelCodec.decode(packed);
    double maxError = 0;
    for (int p = 0; p < labels.positions(); p++) {
      if (!Arrays.equals(labels.tokenIds()[p], back.tokenIds()[p])) {
        throw new IllegalStateException(formatName + " did not round-trip the token ids at position " + p);
      }
      for (int j = 0; j < labels.topK(); j++) {
        maxError = Math.max(maxError, Math.abs((double) labels.logProbs()[p][j] - back.logProbs()[p][j]));
      }
    }
    double rawMb = entries * 8 / 1e6;
    double encodeSeconds = BenchTimer.medianSeconds(() -> SoftLabelCodec.encode(labels, format), runs, warmUpMs, 5);
    double decodeSeconds = BenchTimer.medianSeconds(() -> SoftLabelCodec.decode(packed), runs, warmUpMs, 5);
    return new Row(
        data,
        formatName,
        (double) packed.packed().length / entries,
        maxError,
        rawMb / encodeSeconds,
        rawMb / decodeSeconds);
  }
}
