package network.subnet.node.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.Signer;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.results.ResultDigest;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;

/** Small, well-formed domain values for transport and protocol tests. */
public final class SampleWork {

  public static final String MODEL_HASH = "ab".repeat(32);
  public static final TeacherSpec TEACHER =
      new TeacherSpec(MODEL_HASH, "cd".repeat(32), "float32", "cpu", "single");

  private SampleWork() {}

  public static Capabilities capabilities() {
    return new Capabilities(
        Set.of(TaskKind.DISTILL, TaskKind.COMPRESS), TEACHER, List.of("lossless/1"), 4);
  }

  public static byte[] leaseNonce(int seed) {
    byte[] nonce = new byte[16];
    nonce[0] = (byte) seed;
    nonce[15] = (byte) (seed >>> 8);
    return nonce;
  }

  public static Lease distillLease(String taskId) {
    return new Lease(
        taskId,
        leaseNonce(taskId.hashCode()),
        2_000_000L,
        TaskKind.DISTILL,
        new DistillSpec(new int[] {1, 420, 17, 9}, 8, 1.0f, MODEL_HASH, TEACHER.tokenizerHash()),
        null);
  }

  public static Lease compressLease(String taskId, int rows, int cols) {
    byte[] data = new byte[rows * cols * 2];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    DenseTensor activations = new DenseTensor(DType.BF16, new long[] {rows, cols}, data);
    return new Lease(
        taskId,
        leaseNonce(taskId.hashCode()),
        2_000_000L,
        TaskKind.COMPRESS,
        null,
        new CompressSpec(activations, 0.99, List.of("lossless/1")));
  }

  /**
   * A distill result for {@code lease}, signed by {@code miner} over the canonical result digest.
   */
  public static WorkResult distillResult(Lease lease, Signer miner) {
    int positions = lease.distill().tokens().length;
    int k = lease.distill().topK();
    int[][] ids = new int[positions][k];
    float[][] logProbs = new float[positions][k];
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < k; j++) {
        ids[p][j] = p * k + j;
        logProbs[p][j] = -0.5f * (j + 1);
      }
    }
    WorkResult.PackedSoftLabels packed = SoftLabelCodec.encode(new SoftLabels(ids, logProbs));
    WorkResult unsigned =
        new WorkResult(
            lease.taskId(),
            lease.leaseNonce(),
            MODEL_HASH,
            TaskKind.DISTILL,
            packed,
            null,
            TEACHER,
            12,
            new byte[64]);
    return withSignature(unsigned, miner.sign(ResultDigest.of(unsigned, miner.publicKey())));
  }

  /** A compress result carrying {@code blob}, signed by {@code miner}. */
  public static WorkResult compressResult(Lease lease, byte[] blob, Signer miner) {
    WorkResult unsigned =
        new WorkResult(
            lease.taskId(),
            lease.leaseNonce(),
            "",
            TaskKind.COMPRESS,
            null,
            new WorkResult.CompressedOutput("lossless/1", blob),
            null,
            3,
            new byte[64]);
    return withSignature(unsigned, miner.sign(ResultDigest.of(unsigned, miner.publicKey())));
  }

  public static byte[] littleEndianInts(int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values);
    return b.array();
  }

  private static WorkResult withSignature(WorkResult r, byte[] signature) {
    return new WorkResult(
        r.taskId(),
        r.leaseNonce(),
        r.modelHash(),
        r.kind(),
        r.softLabels(),
        r.compressed(),
        r.teacher(),
        r.computeMs(),
        signature);
  }
}
