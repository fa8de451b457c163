package network.subnet.miner.teacher;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import network.subnet.node.model.MistralConfig;

/**
 * Measures teacher prefill against the engine's own plain fp32 matmul in the same run: a Mistral-shaped model with
 * random weights labels one sequence, and a matmul of the model's largest per-layer shape ({@code [tokens, hidden] x
 * [hidden, 2 * intermediate]}) sets the bar. The two alternate, so a machine busy with other work slows both alike,
 * and the reported utilisation is the median of the per-repetition ratios. Model FLOPs count 2 per weight per token
 * (lm_head included, embeddings excluded) plus causal attention (4 * head_dim per query-key pair per head, keys up to
 * the query).
 *
 * <p>On a machine shared with other work, PyTorch's OpenMP threads spin at every barrier while a sibling thread is
 * descheduled, which slows a forward pass of many small ops far more than one large matmul. Launching with {@code
 * OMP_WAIT_POLICY=PASSIVE} (read by the native runtime at start-up, so it must be in the environment) avoids that.
 */
public final class TeacherBenchmark {

  /** ~100M parameters: hidden 768, 12 layers, 12 heads, 4 KV heads, intermediate 2048, vocab 32768. */
  public static final MistralConfig MID_SIZE = new MistralConfig(32768, 768, 2048, 12, 12, 4, 64, 1e-5, 1e6, false);

  /** What one run measured; times and FLOP/s figures are medians over the timed repetitions. */
  public record Result(
      String device,
      int threads,
      long parameters,
      int tokens,
      int topK,
      int repetitions,
      double prefillSeconds,
      double tokensPerSecond,
      double modelFlops,
      double modelFlopsPerSecond,
      String matmulShape,
      double matmulFlopsPerSecond,
      double utilization,
      double utilizationMin,
      double utilizationMax,
      String ompWaitPolicy) {}

  /** Matmuls timed after each prefill; their median is that repetition's matmul time. */
  private static final int MATMULS_PER_REP = 5;

  private TeacherBenchmark() {}

  public static Result run(MistralConfig config, int tokens, int topK, int warmups, int reps, TeacherOptions options) {
    Device device = MistralTeacher.device(options);
    try (NDManager manager = NDManager.newBaseManager(device, MistralTeacher.ENGINE)) {
      MistralTeacher.probe(manager, device);
      JniUtils.setGradMode(false);
      MistralWeights weights = MistralWeights.random(config, manager);
      MistralForward forward = new MistralForward(weights);
      Random random = new Random(1);
      int[] ids = new int[tokens];
      ids[0] = 1;
      for (int i = 1; i < tokens; i++) {
        ids[i] = 3 + random.nextInt(config.vocabSize() - 3);
      }
      List<int[]> batch = List.of(ids);
      Runnable prefillOnce = () -> forward.label(manager, batch, topK, 1f);

      long m = tokens;
      long k = config.hiddenSize();
      long n = 2L * config.intermediateSize();
      try (NDManager mm = manager.newSubManager()) {
        NDArray a = mm.randomNormal(0f, 1f, new Shape(m, k), DataType.FLOAT32);
        NDArray b = mm.randomNormal(0f, 1f, new Shape(n, k), DataType.FLOAT32).transpose();
        Runnable matmulOnce =
            () -> {
              try (NDManager scratch = mm.newSubManager()) {
                a.tempAttach(scratch);
                syncOf(a.matMul(b));
              }
            };
        for (int i = 0; i < warmups; i++) {
          prefillOnce.run();
          matmulOnce.run();
        }
        // Prefill and matmul alternate, so a busy machine slows both alike; each figure is a median.
        double[] prefillTimes = new double[reps];
        double[] matmulTimes = new double[reps];
        double[] ratios = new double[reps];
        double flopsPerMatmul = 2.0 * m * k * n;
        double modelFlops = modelFlops(config, tokens);
        for (int r = 0; r < reps; r++) {
          prefillTimes[r] = seconds(prefillOnce);
          double[] mt = new double[MATMULS_PER_REP];
          for (int j = 0; j < mt.length; j++) {
            mt[j] = seconds(matmulOnce);
          }
          matmulTimes[r] = median(mt);
          ratios[r] = (modelFlops / prefillTimes[r]) / (flopsPerMatmul / matmulTimes[r]);
        }
        double prefill = median(prefillTimes);
        return new Result(
            device.toString(),
            JniUtils.getNumThreads(),
            config.parameterCount(),
            tokens,
            topK,
            reps,
            prefill,
            tokens / prefill,
            modelFlops,
            modelFlops / prefill,
            "[%d x %d] x [%d x %d]".formatted(m, k, k, n),
            flopsPerMatmul / median(matmulTimes),
            median(ratios),
            Arrays.stream(ratios).min().orElseThrow(),
            Arrays.stream(ratios).max().orElseThrow(),
            System.getenv().getOrDefault("OMP_WAIT_POLICY", "default"));
      }
    }
  }

  /** Useful FLOPs of one prefill of {@code tokens} tokens. */
  public static double modelFlops(MistralConfig c, int tokens) {
    // Embedding rows are looked up, not multiplied; norm weights are elementwise.
    double norms = (c.numHiddenLayers() * 2.0 + 1) * c.hiddenSize();
    double weights = c.parameterCount() - (double) c.vocabSize() * c.hiddenSize() - norms;
    double pairs = tokens * (tokens + 1) / 2.0;
    double attention = 4.0 * pairs * c.numAttentionHeads() * c.headDim() * c.numHiddenLayers();
    return 2.0 * weights * tokens + attention;
  }

  /** Forces completion of asynchronous (GPU) work by reading one element back. */
  private static void syncOf(NDArray c) {
    c.get(0, 0).toFloatArray();
  }

  private static double seconds(Runnable body) {
    long start = System.nanoTime();
    body.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(double[] values) {
    double[] t = values.clone();
    Arrays.sort(t);
    int n = t.length;
    return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
  }
}
