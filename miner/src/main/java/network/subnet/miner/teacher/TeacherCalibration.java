package network.subnet.miner.teacher;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import network.subnet.node.labels.ReplicaDistance;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;

/**
 * Measures how far honest replicas of one teacher drift apart when only the batch size and the thread count change:
 * a reference run (batch 1, the first thread count) against a run of every (batch size, threads) configuration,
 * sequence by sequence, with {@link ReplicaDistance}, the same measure the validator judges replicas by. Labels go
 * through the wire codec first, so the distances include the packing error the validator sees.
 *
 * <p>Batches mix sequence lengths, so longer batches pad shorter sequences: the padding and the different matmul
 * shapes are where batch-dependent drift comes from. The teacher computes in fp32 only (bf16 checkpoints are widened
 * at load), so fp32 is the only dtype calibrated: on CPU, DJL 0.35.1's PyTorch engine (natives 2.7.1) aborts the JVM
 * ("terminate called without an active exception") when an fp32 array is cast to bfloat16, so bf16 compute is not
 * available to the teacher there.
 */
public final class TeacherCalibration {

  /** One way of running the teacher. */
  public record Config(int batchSize, int threads) {
    public Config {
      if (batchSize < 1 || threads < 1) {
        throw new IllegalArgumentException("batch size and threads must be positive, got " + batchSize + ", "
            + threads);
      }
    }

    public String label() {
      return "batch=" + batchSize + ",threads=" + threads;
    }
  }

  /** A distribution: min, percentiles, max and mean. */
  public record Stats(double min, double p50, double p90, double p99, double max, double mean) {
    static Stats of(double[] values) {
      if (values.length == 0) {
        return new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      double[] v = values.clone();
      Arrays.sort(v);
      return new Stats(v[0], pct(v, 0.50), pct(v, 0.90), pct(v, 0.99), v[v.length - 1], Arrays.stream(v).average()
          .orElseThrow());
    }

    // Nearest rank, so every reported value is one that was observed.
    private static double pct(double[] sorted, double q) {
      int rank = (int) Math.ceil(q * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
  }

  /** The distances of one configuration's replicas from the reference, one pair per sequence. */
  public record Row(
      String label, int pairs, Stats top1Agreement, Stats topKOverlap, Stats meanAbsLogProbDiff,
      Stats maxAbsLogProbDiff) {}

  /** Everything a calibration run measured. */
  public record Report(
      String modelHash,
      String dtype,
      String device,
      int sequences,
      int minTokens,
      int maxTokens,
      int topK,
      float temperature,
      Config reference,
      List<Row> rows,
      Row overall) {}

  private TeacherCalibration() {}

  /** {@code count} sequences of BOS then random ids in [bos + 1, vocab), lengths uniform in [minLen, maxLen]. */
  public static List<int[]> randomSequences(int vocab, int bos, int count, int minLen, int maxLen, long seed) {
    if (minLen < 2 || maxLen < minLen) {
      throw new IllegalArgumentException("sequence lengths need 2 <= min <= max, got " + minLen + ".." + maxLen);
    }
    if (vocab <= bos + 1) {
      throw new IllegalArgumentException("vocabulary of " + vocab + " has no ids above BOS " + bos);
    }
    Random random = new Random(seed);
    List<int[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int[] s = new int[minLen + random.nextInt(maxLen - minLen + 1)];
      s[0] = bos;
      for (int j = 1; j < s.length; j++) {
        s[j] = bos + 1 + random.nextInt(vocab - bos - 1);
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Runs the reference and every configuration (batch sizes times thread counts) over {@code sequences}. The teacher
   * must have been loaded with room for the largest batch ({@link TeacherOptions#maxBatchTokens()} at least the
   * largest batch size times the longest sequence), or larger batches are split and measure less than they say.
   */
  public static Report run(
      Teacher teacher, List<int[]> sequences, List<Integer> batchSizes, List<Integer> threads, int topK,
      float temperature) {
    if (sequences.isEmpty() || batchSizes.isEmpty() || threads.isEmpty()) {
      throw new IllegalArgumentException("calibration needs sequences, batch sizes and thread counts");
    }
    Config reference = new Config(1, threads.get(0));
    List<SoftLabels> ref = label(teacher, sequences, reference, topK, temperature);
    List<Row> rows = new ArrayList<>();
    List<ReplicaDistance> all = new ArrayList<>();
    for (int t : threads) {
      for (int b : batchSizes) {
        Config config = new Config(b, t);
        List<SoftLabels> run = label(teacher, sequences, config, topK, temperature);
        List<ReplicaDistance> distances = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
          distances.add(ReplicaDistance.between(ref.get(i), run.get(i)));
        }
        all.addAll(distances);
        rows.add(row(config.label(), distances));
      }
    }
    int min = sequences.stream().mapToInt(s -> s.length).min().orElseThrow();
    int max = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
    return new Report(teacher.spec().modelHash(), teacher.spec().dtype(), teacher.spec().device(), sequences.size(),
        min, max, topK, temperature, reference, rows, row("all", all));
  }

  private static List<SoftLabels> label(Teacher teacher, List<int[]> sequences, Config config, int topK, float temp) {
    JniUtils.setNumThreads(config.threads());
    List<SoftLabels> out = new ArrayList<>(sequences.size());
    for (int from = 0; from < sequences.size(); from += config.batchSize()) {
      List<int[]> batch = sequences.subList(from, Math.min(sequences.size(), from + config.batchSize()));
      for (SoftLabels labels : teacher.label(batch, topK, temp)) {
        out.add(SoftLabelCodec.decode(SoftLabelCodec.encode(labels)));
      }
    }
    return out;
  }

  private static Row row(String label, List<ReplicaDistance> d) {
    return new Row(label, d.size(),
        Stats.of(d.stream().mapToDouble(ReplicaDistance::top1Agreement).toArray()),
        Stats.of(d.stream().mapToDouble(ReplicaDistance::topKOverlap).toArray()),
        Stats.of(d.stream().mapToDouble(ReplicaDistance::meanAbsLogProbDiff).toArray()),
        Stats.of(d.stream().mapToDouble(ReplicaDistance::maxAbsLogProbDiff).toArray()));
  }
}
