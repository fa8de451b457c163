package network.subnet.validator.testing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.api.WorkResult;
import network.subnet.node.codec.ActivationCodec;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.results.ResultDigest;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import network.subnet.validator.tasks.Task;

/** Shared test data: a teacher, tasks, honest and dishonest soft labels, signed results, a settable clock. */
public final class Fixtures {

  public static final String MODEL = "model-hash-a";
  public static final String TOKENIZER = "tokenizer-hash-a";
  public static final TeacherSpec TEACHER = new TeacherSpec(MODEL, TOKENIZER, "float32", "cpu", "single");
  public static final TeacherSpec OTHER_TEACHER =
      new TeacherSpec("model-hash-b", TOKENIZER, "float32", "cpu", "single");
  public static final int TOP_K = 4;

  private Fixtures() {}

  public static Capabilities capabilities(TeacherSpec teacher) {
    return new Capabilities(Set.of(TaskKind.DISTILL), teacher, List.of(), 1);
  }

  public static Task task(int seed) {
    return task(seed, 6);
  }

  public static Task task(int seed, int length) {
    int[] tokens = new int[length];
    tokens[0] = 1;
    for (int i = 1; i < length; i++) {
      tokens[i] = 10 + seed * 31 + i;
    }
    return Task.of(new DistillSpec(tokens, TOP_K, 1.0f, MODEL, TOKENIZER));
  }

  /** What an honest teacher answers: a deterministic function of the tokens. */
  public static SoftLabels honest(DistillSpec spec) {
    int n = spec.tokens().length;
    int[][] ids = new int[n][spec.topK()];
    float[][] lp = new float[n][spec.topK()];
    for (int p = 0; p < n; p++) {
      for (int j = 0; j < spec.topK(); j++) {
        ids[p][j] = (spec.tokens()[p] * 7 + j) % 32768;
        lp[p][j] = -0.25f * (j + 1);
      }
    }
    return new SoftLabels(ids, lp);
  }

  /** A cheater's answer: the right shape, the wrong tokens. */
  public static SoftLabels dishonest(DistillSpec spec) {
    SoftLabels h = honest(spec);
    int[][] ids = h.tokenIds();
    for (int[] row : ids) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (row[j] + 1000) % 32768;
      }
    }
    return new SoftLabels(ids, h.logProbs());
  }

  public static WorkResult signed(LocalSigner miner, Lease lease, SoftLabels labels) {
    return signed(miner, lease.taskId(), lease.leaseNonce(), lease.distill().modelHash(), labels);
  }

  public static WorkResult signed(LocalSigner miner, String taskId, byte[] nonce, String modelHash, SoftLabels labels) {
    return signed(miner, taskId, nonce, modelHash, SoftLabelCodec.encode(labels));
  }

  /**
   * Honest labels in the raw format with one log-prob overwritten on the wire, as a hostile miner would send it (the
   * encoder itself refuses such values).
   */
  public static WorkResult signedWithForgedLogProb(LocalSigner miner, Lease lease, int position, int rank, float value) {
    SoftLabels labels = honest(lease.distill());
    WorkResult.PackedSoftLabels raw = SoftLabelCodec.encode(labels, SoftLabelCodec.FORMAT_RAW);
    int k = labels.topK();
    int offset = 16 + position * k * 8 + k * 4 + rank * 4;
    byte[] bytes = raw.packed().clone();
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(offset, value);
    return signed(miner, lease.taskId(), lease.leaseNonce(), lease.distill().modelHash(),
        new WorkResult.PackedSoftLabels(raw.positions(), raw.topK(), raw.format(), bytes));
  }

  private static WorkResult signed(
      LocalSigner miner, String taskId, byte[] nonce, String modelHash, WorkResult.PackedSoftLabels packed) {
    WorkResult unsigned = new WorkResult(taskId, nonce, modelHash, TaskKind.DISTILL, packed, null, TEACHER, 5, new byte[0]);
    byte[] signature = miner.sign(ResultDigest.of(unsigned, miner.publicKey()));
    return withSignature(unsigned, signature);
  }

  public static WorkResult withSignature(WorkResult r, byte[] signature) {
    return new WorkResult(r.taskId(), r.leaseNonce(), r.modelHash(), r.kind(), r.softLabels(), r.compressed(),
        r.teacher(), r.computeMs(), signature);
  }

  /** Miners that take both kinds and name every standard codec, as the miner daemon registers. */
  public static Capabilities bothKinds(TeacherSpec teacher) {
    return new Capabilities(Set.of(TaskKind.DISTILL, TaskKind.COMPRESS), teacher,
        CodecRegistry.standard().codecs().stream().map(ActivationCodec::key).toList(), 1);
  }

  /** A small seeded activation matrix (F32) as a compress task at {@code floor} allowing every standard codec. */
  public static Task compressTask(long seed, int rows, int cols, double floor) {
    DenseTensor t = SyntheticActivations.tensor(SyntheticActivations.Kind.GAUSSIAN, rows, cols, DType.F32, seed);
    return Task.of(new CompressSpec(t, floor,
        CodecRegistry.standard().codecs().stream().map(ActivationCodec::key).toList()));
  }

  /** A compress result carrying {@code codec}'s {@code blob}, signed for {@code lease}. */
  public static WorkResult signedBlob(LocalSigner miner, Lease lease, String codec, byte[] blob) {
    WorkResult unsigned = new WorkResult(lease.taskId(), lease.leaseNonce(), "", TaskKind.COMPRESS, null,
        new WorkResult.CompressedOutput(codec, blob), null, 3, new byte[0]);
    return withSignature(unsigned, miner.sign(ResultDigest.of(unsigned, miner.publicKey())));
  }

  /** A clock tests move by hand. */
  public static final class Clock implements java.util.function.LongSupplier {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    @Override
    public long getAsLong() {
      return now.get();
    }

    public void advance(long ms) {
      now.addAndGet(ms);
    }
  }
}
