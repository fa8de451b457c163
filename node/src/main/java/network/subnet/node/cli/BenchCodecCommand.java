package network.subnet.node.cli;

import com.github.luben.zstd.Zstd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.node.codec.Activations;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.DecodedTensor;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.codec.Similarity;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.codec.SyntheticActivations.Kind;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code subnet bench codec}: every rung of the codec ladder on generated activation matrices (bf16 or fp32), its
 * ratio next to zstd level 3 on the same raw bytes (measured in the same run), its Apex similarity, and encode and
 * decode speed in MB of the raw input matrix per second of one core: the median of several runs after a warm-up, on
 * the calling thread, in thread CPU time where the JVM has it (so other load on a shared machine does not count
 * against the codec). Encoding is timed from the raw tensor (checking and widening it included) to the finished blob,
 * decoding from the blob to the checked fp32 values; the round trip is the input's MB over the two times added.
 */
@Command(
    name = "codec",
    mixinStandardHelpOptions = true,
    description = "Measure the activation codecs' ratio (vs zstd -3), similarity and speed on synthetic matrices.")
public final class BenchCodecCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "128K,4M",
      description = "Matrix sizes in raw bytes, K/M suffixes, 4K to 64M (default ${DEFAULT-VALUE}).")
  List<String> sizes;

  @Option(
      names = "--dtype",
      defaultValue = "bf16",
      description = "Element type of the matrices: bf16 or f32 (default ${DEFAULT-VALUE}).")
  String dtypeName;

  @Option(names = "--min-similarity", defaultValue = "0.99", description = "Lossy floor (default ${DEFAULT-VALUE}).")
  double floor;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated data (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--runs", defaultValue = "5", description = "Timed runs per measurement (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--warmup-ms",
      defaultValue = "1000",
      description =
          "Warm-up per measurement in ms (default ${DEFAULT-VALUE}: on a loaded machine the JIT needs about that"
              + " before the first matrix's numbers settle).")
  long warmUpMs;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  /** One rung on one matrix. */
  public record Row(
      String data,
      long bytes,
      String rung,
      String codec,
      double ratio,
      double zstd3Ratio,
      double vsZstd3,
      double similarity,
      double encodeMBps,
      double decodeMBps,
      double roundTripMBps) {}

  /** The ladder: name, codec, similarity floor (NaN: the command's floor). */
  private record Rung(String name, String codec, double floor) {}

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || warmUpMs < 0 || !(floor > 0 && floor < 1)) {
      throw new IllegalArgumentException("need --runs >= 1, --warmup-ms >= 0, 0 < --min-similarity < 1");
    }
    DType dtype = parseDtype(dtypeName);
    List<Long> byteSizes = new ArrayList<>();
    for (String s : sizes) {
      byteSizes.add(parseSize(s));
    }
    // One untimed round over every kind first, so the JIT compiles the codecs with every kind's profile and the first
    // matrix measured is not the one that pays for it.
    if (warmUpMs > 0) {
      for (Kind kind : Kind.values()) {
        measure(kind, dtype, 512 * 1024, floor, seed, 1, 0);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (long size : byteSizes) {
      for (Kind kind : Kind.values()) {
        rows.addAll(measure(kind, dtype, size, floor, seed, runs, warmUpMs));
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("dtype", dtypeName.toLowerCase(Locale.ROOT));
    report.put("min_similarity", floor);
    report.put("seed", seed);
    report.put("rows", rows);
    BenchReport.print(spec.commandLine().getOut(), json, report, out -> {
      out.printf(
          "codec ladder on %s matrices, floor %.4f, seed %d; MB of raw input per second of one core's CPU time%n",
          dtypeName.toLowerCase(Locale.ROOT), floor, seed);
      out.printf(
          "%-17s %6s %-13s %-8s %7s %7s %8s %9s %9s %9s %9s%n",
          "data", "size", "rung", "codec", "ratio", "zstd-3", "vs zstd", "similar.", "enc MB/s", "dec MB/s",
          "e+d MB/s");
      for (Row r : rows) {
        out.printf(
            Locale.ROOT,
            "%-17s %6s %-13s %-8s %7.3f %7.3f %8.3f %9.6f %9.1f %9.1f %9.1f%n",
            r.data(), sizeLabel(r.bytes()), r.rung(), r.codec(), r.ratio(), r.zstd3Ratio(), r.vsZstd3(), r.similarity(),
            r.encodeMBps(), r.decodeMBps(), r.roundTripMBps());
      }
    });
    return 0;
  }

  static DType parseDtype(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "bf16" -> DType.BF16;
      case "f32", "fp32", "float32" -> DType.F32;
      default -> throw new IllegalArgumentException("--dtype must be bf16 or f32, not " + s);
    };
  }

  static long parseSize(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    long unit = t.endsWith("K") ? 1024 : t.endsWith("M") ? 1024 * 1024 : 1;
    long v = Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    if (v < 4096 || v > 64L << 20) {
      throw new IllegalArgumentException("size " + s + " must lie between 4K and 64M");
    }
    return v;
  }

  private static String sizeLabel(long bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + "M" : (bytes >> 10) + "K";
  }

  /** All rungs on one generated matrix of about {@code bytes} raw bytes (4096 channels, 1024 below 1 MiB). */
  public static List<Row> measure(
      Kind kind, DType dtype, long bytes, double floor, long seed, int runs, long warmUpMs) {
    int cols = bytes < (1 << 20) ? 1024 : 4096;
    int rows = (int) Math.max(1, bytes / dtype.byteSize() / cols);
    DenseTensor t = SyntheticActivations.tensor(kind, rows, cols, dtype, seed);
    CodecRegistry registry = CodecRegistry.standard();
    Activations a = registry.check(t);
    double rawMb = t.data().length / 1e6;
    double zstd3 = (double) t.data().length / Zstd.compress(t.data(), 3).length;
    List<Rung> ladder =
        List.of(
            new Rung("lossless", "zstd/1", 1.0),
            new Rung("lossless", "plane/1", 1.0),
            new Rung("near-lossless", "quant/2", Math.max(0.999, floor)),
            new Rung("near-lossless", "e8/1", Math.max(0.999, floor)),
            new Rung("lossy", "quant/1", floor),
            new Rung("lossy", "quant/2", floor),
            new Rung("lossy", "e8/1", floor));
    List<Row> out = new ArrayList<>();
    for (Rung rung : ladder) {
      var codec = registry.byName(rung.codec()).orElseThrow();
      EncodedBlob blob = registry.encodeWith(codec, a, rung.floor());
      DecodedTensor back = registry.decode(blob.blob());
      double sim = codec.lossless() ? 1.0 : Similarity.apex(a.values(), back.values());
      if (sim < rung.floor()) {
        throw new IllegalStateException(rung.codec() + " missed its floor: " + sim + " < " + rung.floor());
      }
      double enc =
          BenchTimer.medianSeconds(
              () -> registry.encodeWith(codec, registry.check(t), rung.floor()), runs, warmUpMs, 2);
      double dec = BenchTimer.medianSeconds(() -> registry.decode(blob.blob()), runs, warmUpMs, 2);
      out.add(
          new Row(
              kind.label(),
              t.data().length,
              rung.name(),
              rung.codec(),
              blob.ratio(),
              zstd3,
              blob.ratio() / zstd3,
              sim,
              rawMb / enc,
              rawMb / dec,
              rawMb / (enc + dec)));
    }
    return out;
  }
}
