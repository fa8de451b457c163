package network.subnet.cli.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.api.WorkResult;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import network.subnet.node.identity.Signer;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.results.ResultDigest;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.tasks.Task;

/**
 * The small distill work both validator benchmarks push through: tasks of a few tokens at a small k, and the honest
 * answer to them. The answer is a fixed, valid soft-label blob (every log-prob <= 0, ids in range) shared by every
 * task: what matters here is that all replicas of a task carry identical labels, so they agree, while each result is
 * still signed by its own miner over its own lease.
 */
final class BenchWork {

  static final int TOKENS = 16;
  static final int TOP_K = 4;
  static final int REPLICAS = 2;
  static final String MODEL_HASH = "b1".repeat(32);
  static final TeacherSpec TEACHER = new TeacherSpec(MODEL_HASH, "b2".repeat(32), "float32", "cpu", "single");

  private static final int VOCAB = 32_768;

  private final PackedSoftLabels labels = SoftLabelCodec.encode(honestLabels());

  /** A validator configured for this work: long leases and epochs (nothing expires or closes mid-run). */
  static ValidatorConfig config(Path dataDir, int maxOpenLeasesPerMiner) {
    return new ValidatorConfig(
        0,
        REPLICAS,
        Duration.ofMinutes(10),
        TOP_K,
        1.0f,
        TOKENS,
        Duration.ofDays(1),
        ValidatorConfig.DEFAULT_MIN_TOP1_AGREEMENT,
        ValidatorConfig.DEFAULT_MAX_LOGPROB_DIFF,
        ValidatorConfig.DEFAULT_MAX_REPLICAS,
        maxOpenLeasesPerMiner,
        dataDir,
        List.of(),
        MODEL_HASH,
        ValidatorConfig.DEFAULT_BOS_ID,
        List.of(),
        ValidatorConfig.DEFAULT_SIMILARITY_FLOOR);
  }

  static Capabilities capabilities() {
    return new Capabilities(Set.of(TaskKind.DISTILL), TEACHER, List.of(), 1);
  }

  /** Task number {@code index} of a run: distinct token windows, so distinct content-derived ids. */
  static Task task(long runSeed, long index) {
    int[] tokens = new int[TOKENS];
    tokens[0] = ValidatorConfig.DEFAULT_BOS_ID;
    long x = runSeed * 0x9E3779B97F4A7C15L + index;
    for (int i = 1; i < TOKENS; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      tokens[i] = 2 + (int) ((x >>> 33) % (VOCAB - 2));
    }
    // The index in the last two slots keeps windows distinct even if the generator ever repeated.
    tokens[TOKENS - 1] = 2 + (int) (index % (VOCAB - 2));
    tokens[TOKENS - 2] = 2 + (int) ((index / (VOCAB - 2)) % (VOCAB - 2));
    return Task.of(new DistillSpec(tokens, TOP_K, 1.0f, MODEL_HASH, TEACHER.tokenizerHash()));
  }

  static List<Task> tasks(long runSeed, long from, int count) {
    List<Task> out = new ArrayList<>(count);
    for (long i = from; i < from + count; i++) {
      out.add(task(runSeed, i));
    }
    return out;
  }

  /** The honest result for {@code lease}, signed by {@code miner} over the canonical result digest. */
  WorkResult result(Lease lease, Signer miner) {
    return signed(lease.taskId(), lease.leaseNonce(), miner);
  }

  WorkResult signed(String taskId, byte[] leaseNonce, Signer miner) {
    byte[] digest = ResultDigest.of(taskId, leaseNonce, MODEL_HASH, miner.publicKey(), labels.packed());
    return new WorkResult(
        taskId, leaseNonce, MODEL_HASH, TaskKind.DISTILL, labels, null, TEACHER, 1, miner.sign(digest));
  }

  PackedSoftLabels labels() {
    return labels;
  }

  private static SoftLabels honestLabels() {
    int[][] ids = new int[TOKENS][TOP_K];
    float[][] logProbs = new float[TOKENS][TOP_K];
    for (int p = 0; p < TOKENS; p++) {
      for (int j = 0; j < TOP_K; j++) {
        ids[p][j] = 100 + p * TOP_K + j;
        logProbs[p][j] = -0.25f * (j + 1) - 0.01f * p;
      }
    }
    return new SoftLabels(ids, logProbs);
  }
}
