package network.subnet.miner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import network.subnet.miner.teacher.MistralTeacher;
import network.subnet.miner.teacher.TeacherCalibration;
import network.subnet.miner.teacher.TeacherCalibration.Report;
import network.subnet.miner.teacher.TeacherCalibration.Row;
import network.subnet.miner.teacher.TeacherCalibration.Stats;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.model.TinyCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code subnet calibrate}: runs honest replicas of the teacher across batch sizes and thread counts and prints how far
 * apart they land, the evidence behind the validator's replica tolerances.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the teacher (the tiny test model unless --model is given) on a sample of token sequences once as a"
          + " reference (batch 1) and again for every batch size and thread count, and prints the distribution of"
          + " replica distances against the reference: top-1 agreement, top-k set overlap, mean and max |log-prob"
          + " difference| (min, p50, p90, p99, max), measured on the packed wire format the validator compares.",
      "Ends with tolerances that would accept every honest pair measured, with a margin. The teacher computes in"
          + " float32 only (bf16 checkpoints are widened at load; the CPU engine cannot cast to bf16), so float32 is"
          + " the only dtype calibrated."
    })
public final class CalibrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", description = "Hugging Face Mistral model directory (default: the tiny test model).")
  Path model;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--dtype",
      defaultValue = "float32",
      description = "Compute dtype; the teacher supports float32 (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "1,4,16",
      description = "Sequences per forward pass to compare (default: ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(
      names = "--threads",
      split = ",",
      description = "PyTorch intra-op thread counts to compare; 0 is one per core (default: 1 and one per core).")
  List<Integer> threads;

  @Option(names = "--sequences", defaultValue = "16", description = "Sample size (default: ${DEFAULT-VALUE}).")
  int sequences;

  @Option(
      names = "--tokens",
      defaultValue = "64",
      description = "Longest sequence; lengths vary from half of it up (default: ${DEFAULT-VALUE}).")
  int tokens;

  // Not --input: the validator's --input names its corpus, and a shared config file fills every command's options.
  @Option(
      names = "--texts",
      paramLabel = "FILE",
      description = "JSON lines of {\"text\": ...} to tokenize instead of random token ids (cut at --tokens).")
  Path texts;

  @Option(names = "--top-k", defaultValue = "64", description = "Entries per position (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description = "Softmax temperature (default: ${DEFAULT-VALUE}).")
  float temperature;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the random sample (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object instead of tables.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String usage = usageError();
    if (usage != null) {
      err.println("error: " + usage);
      return 2;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    List<Integer> threadCounts =
        (threads != null ? threads.stream() : Stream.of(1, 0)).map(t -> t == 0 ? cores : t).distinct().toList();
    int maxBatch = batchSizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    Path tiny = null;
    try {
      Path dir = model;
      if (dir == null) {
        tiny = Files.createTempDirectory("subnet-calibrate");
        TinyCheckpoint.write(tiny, 7);
        dir = tiny;
      }
      // Room for the largest batch in one forward pass, so a batch size means what it says.
      TeacherOptions options = new TeacherOptions(device, threadCounts.get(0),
          Math.max(TeacherOptions.DEFAULT_MAX_BATCH_TOKENS, maxBatch * tokens));
      try (MistralTeacher teacher = MistralTeacher.load(dir, options, err::println)) {
        List<int[]> sample = sample(teacher);
        Report report = TeacherCalibration.run(teacher, sample, batchSizes, threadCounts, topK, temperature);
        if (json) {
          out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(toJson(report, model == null ? "tiny" : model.toString())));
        } else {
          print(out, report, model == null ? "the tiny test model" : model.toString());
        }
        out.flush();
        return 0;
      }
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } finally {
      deleteQuietly(tiny);
    }
  }

  private String usageError() {
    if (!dtype.equals("float32") && !dtype.equals("fp32")) {
      return "--dtype " + dtype + ": the teacher computes in float32 only (bf16 weights are widened at load)";
    }
    if (sequences < 1 || tokens < 2 || topK < 1) {
      return "--sequences and --top-k must be positive and --tokens at least 2";
    }
    if (!(temperature > 0) || Float.isInfinite(temperature)) {
      return "--temperature must be positive";
    }
    if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1)) {
      return "--batch-sizes must be positive";
    }
    if (threads != null && (threads.isEmpty() || threads.stream().anyMatch(t -> t < 0))) {
      return "--threads must be non-negative";
    }
    return null;
  }

  private List<int[]> sample(MistralTeacher teacher) throws IOException {
    if (texts == null) {
      int vocab = teacher.config().vocabSize();
      return TeacherCalibration.randomSequences(vocab, teacher.tokenizer().bosId(), sequences,
          Math.max(2, tokens / 2), tokens, seed);
    }
    List<int[]> out = new ArrayList<>();
    for (String text : TeacherCommand.readTexts(new ObjectMapper(), texts)) {
      int[] ids = teacher.tokenizer().encode(text);
      out.add(Arrays.copyOf(ids, Math.min(ids.length, tokens)));
      if (out.size() == sequences) {
        break;
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(texts + " holds no texts");
    }
    return out;
  }

  private static void print(PrintWriter out, Report r, String model) {
    out.printf("calibration of %s (%s, %s): %d sequences of %d-%d tokens, top-%d, temperature %s%n", model,
        r.dtype(), r.device(), r.sequences(), r.minTokens(), r.maxTokens(), r.topK(), r.temperature());
    out.printf("reference %s; each row compares one replica per sequence against it%n", r.reference().label());
    out.printf("%-20s  %-23s  %-23s  %-32s  %-32s%n", "CONFIG", "TOP-1 AGREE min/p50", "TOP-K OVERLAP min/p50",
        "MEAN |DLOGP| p50/p99/max", "MAX |DLOGP| p50/p99/max");
    List<Row> rows = new ArrayList<>(r.rows());
    rows.add(r.overall());
    for (Row row : rows) {
      out.printf("%-20s  %-23s  %-23s  %-32s  %-32s%n", row.label(),
          "%.4f / %.4f".formatted(row.top1Agreement().min(), row.top1Agreement().p50()),
          "%.4f / %.4f".formatted(row.topKOverlap().min(), row.topKOverlap().p50()),
          "%.2e / %.2e / %.2e".formatted(row.meanAbsLogProbDiff().p50(), row.meanAbsLogProbDiff().p99(),
              row.meanAbsLogProbDiff().max()),
          "%.2e / %.2e / %.2e".formatted(row.maxAbsLogProbDiff().p50(), row.maxAbsLogProbDiff().p99(),
              row.maxAbsLogProbDiff().max()));
    }
    Suggested s = Suggested.from(r.overall());
    out.printf("tolerances that accept every honest pair here, with a margin: top-1 agreement >= %s, top-k overlap"
        + " >= %s, mean |log-prob difference| <= %s%n",
        s.minTop1Agreement(), s.minTopKOverlap(), s.maxMeanLogProbDiff());
  }

  private static Map<String, Object> toJson(Report r, String model) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", model);
    json.put("modelHash", r.modelHash());
    json.put("dtype", r.dtype());
    json.put("device", r.device());
    json.put("sequences", r.sequences());
    json.put("minTokens", r.minTokens());
    json.put("maxTokens", r.maxTokens());
    json.put("topK", r.topK());
    json.put("temperature", r.temperature());
    json.put("reference", r.reference().label());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Row row : r.rows()) {
      rows.add(row(row));
    }
    json.put("configs", rows);
    json.put("overall", row(r.overall()));
    json.put("suggestedTolerances", Suggested.from(r.overall()));
    return json;
  }

  private static Map<String, Object> row(Row row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("config", row.label());
    m.put("pairs", row.pairs());
    m.put("top1Agreement", row.top1Agreement());
    m.put("topKOverlap", row.topKOverlap());
    m.put("meanAbsLogProbDiff", row.meanAbsLogProbDiff());
    m.put("maxAbsLogProbDiff", row.maxAbsLogProbDiff());
    return m;
  }

  /**
   * Bars that the worst honest pair clears with a margin: 0.02 below its top-1 agreement (at most 0.98), 0.05 below
   * its top-k overlap (at most 0.95), and four times its mean |log-prob difference| but never under 2^-9 nat, since
   * two nearly equal log-probs can round to neighbouring points of the wire format's 2^-9 nat grid.
   */
  record Suggested(double minTop1Agreement, double minTopKOverlap, double maxMeanLogProbDiff) {
    static Suggested from(Row worst) {
      double top1 = Math.min(0.98, Math.floor((worst.top1Agreement().min() - 0.02) * 100) / 100);
      double overlap = Math.min(0.95, Math.floor((worst.topKOverlap().min() - 0.05) * 100) / 100);
      double diff = Math.max(Math.scalb(1.0, -9), 4 * worst.meanAbsLogProbDiff().max());
      return new Suggested(Math.max(0, top1), Math.max(0, overlap), roundUp(diff));
    }

    // One significant digit, rounded up, so the printed bar is never tighter than the computed one.
    private static double roundUp(double v) {
      return new BigDecimal(v).round(new MathContext(1, RoundingMode.UP)).doubleValue();
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover temp dir is harmless.
    }
  }
}
